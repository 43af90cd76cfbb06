import type Redis from 'ioredis';
import type { KeyRecord } from '../domain/principal';
import type { KeyCache } from '../app/ports';

export const apiKeyCacheKey = (hash: string) => `apikey:${hash}`;

/** `apikey:<hash>` entries (docs/internal-contracts.md), each living `ttlSeconds`; read by the RequestGate. */
export class RedisKeyCache implements KeyCache {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  async fill(hash: string, record: KeyRecord): Promise<void> {
    await this.redis.set(apiKeyCacheKey(hash), JSON.stringify(record), 'EX', this.ttlSeconds, 'NX');
  }

  async put(hash: string, record: KeyRecord): Promise<void> {
    await this.redis.set(apiKeyCacheKey(hash), JSON.stringify(record), 'EX', this.ttlSeconds);
  }

  async drop(hashes: string[]): Promise<void> {
    if (hashes.length) await this.redis.del(...hashes.map(apiKeyCacheKey));
  }
}
