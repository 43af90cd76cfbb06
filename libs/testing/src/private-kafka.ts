import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const scripts = path.resolve(__dirname, '../../../infra/kafka');

/**
 * A broker of a test's own (same jars as infra/kafka/start.sh, separate port and data), for tests
 * that stop and restart Kafka without disturbing the shared broker other tests use.
 */
export class PrivateKafka {
  readonly port: number;

  constructor(port?: number) {
    // start.sh uses port+1 for the controller: keep ports even and away from the shared broker.
    this.port = port ?? 29_100 + 2 * Math.floor(Math.random() * 400);
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  private env() {
    return { ...process.env, KAFKA_PORT: String(this.port) };
  }

  /** Starts (or restarts) the broker and waits until it answers; data survives a stop. */
  async start(): Promise<void> {
    await run('bash', [path.join(scripts, 'start.sh')], { env: this.env(), timeout: 120_000 });
  }

  async stop(): Promise<void> {
    await run('bash', [path.join(scripts, 'stop.sh')], { env: this.env(), timeout: 60_000 });
  }

  /** Stops the broker and removes its data. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    await run('bash', ['-c', `rm -rf "\${HOP_CACHE_DIR:-$HOME/.cache/hop}/kafka/node-${this.port}"`], { env: this.env() });
  }
}
