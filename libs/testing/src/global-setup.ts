import { ENDPOINT_ENV, endpoints, tcpReachable } from './infra';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseInfraMode, startContainers } from './containers';
import { CONTRACT_TALLY_ENV } from './contract';

/**
 * Jest global setup for integration tests: one set of PostgreSQL, Redis and Kafka containers per
 * jest run (testcontainers; image names from HOP_*_IMAGE) whenever a Docker engine answers, else
 * the servers on loopback that `infra/up.sh` starts. HOP_TEST_INFRA=containers|local forces one.
 * Each test file still isolates itself on the shared servers (`TestInfra`).
 */
export default async function globalSetup(): Promise<void> {
  // test workers inherit this: each checked response adds a line, the teardown counts them
  process.env[CONTRACT_TALLY_ENV] ??= path.join(mkdtempSync(path.join(os.tmpdir(), 'hop-contract-')), 'tally');
  const { mode, reason } = await chooseInfraMode();
  if (mode === 'containers') {
    const started = await startContainers();
    process.env[ENDPOINT_ENV.postgres] = started.endpoints.postgresUrl;
    process.env[ENDPOINT_ENV.redis] = started.endpoints.redisUrl;
    process.env[ENDPOINT_ENV.kafka] = started.endpoints.kafkaBrokers.join(',');
    (globalThis as Record<string, unknown>).__hopContainers = started;
    return;
  }
  if (reason) console.log(`\n${reason}`);
  const e = endpoints();
  const checks = [
    ['PostgreSQL', new URL(e.postgresUrl)],
    ['Redis', new URL(e.redisUrl)],
    ['Kafka', new URL(`kafka://${e.kafkaBrokers[0]}`)],
  ] as const;
  const down: string[] = [];
  for (const [name, url] of checks) {
    if (!(await tcpReachable(url.hostname, Number(url.port)))) down.push(`${name} at ${url.host}`);
  }
  if (down.length) {
    throw new Error(`Test infrastructure not reachable: ${down.join(', ')}. Run \`bash infra/up.sh\` (or start a Docker engine).`);
  }
}
