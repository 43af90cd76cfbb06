import type { Logger } from '@hop/telemetry';
import type { ApiKeyStore, KeyUseRecorder } from '../app/ports';

/**
 * Keeps each key's last use in memory and writes them all in one statement every `intervalMs`,
 * so no request waits on a database write for it.
 */
export class LastUsedRecorder implements KeyUseRecorder {
  private pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly keys: Pick<ApiKeyStore, 'touch'>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  record(keyId: string, at = new Date()): void {
    this.pending.set(keyId, at);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    await this.keys.touch(batch).catch((err: unknown) => this.logger.warn({ err, keys: batch.size }, 'could not record key last use'));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
