import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from '@hop/telemetry';
import type { AttemptLimiter } from '../app/ports';

const attemptsKey = (key: string) => `pwd:${key}`;

/**
 * Failed password attempts per visitor and link in a fixed window, in Redis so every redirector
 * instance shares them; while Redis is unavailable an in-process window keeps limiting.
 */
export function createAttemptLimiter(options: { redis: Redis; maxAttempts: number; windowS: number; logger: Logger }): AttemptLimiter {
  const { redis, maxAttempts, windowS, logger } = options;
  const local = new LRUCache<string, number>({ max: 50_000, ttl: windowS * 1000 });
  const fallback = (err: unknown) => logger.warn({ err: (err as Error).message }, 'password attempt limiter: Redis unavailable, limiting in process');

  return {
    async blockedFor(key) {
      try {
        const replies = await redis.multi().get(attemptsKey(key)).ttl(attemptsKey(key)).exec();
        const [count, ttl] = (replies ?? []).map(([err, value]) => {
          if (err) throw err;
          return Number(value ?? 0);
        });
        return count >= maxAttempts ? Math.max(1, ttl) : 0;
      } catch (err) {
        fallback(err);
        const count = local.get(key) ?? 0;
        return count >= maxAttempts ? Math.max(1, Math.ceil(local.getRemainingTTL(key) / 1000)) : 0;
      }
    },
    async recordFailure(key) {
      local.set(key, (local.get(key) ?? 0) + 1, { noUpdateTTL: local.has(key) });
      try {
        await redis.multi().incr(attemptsKey(key)).expire(attemptsKey(key), windowS, 'NX').exec();
      } catch (err) {
        fallback(err);
      }
    },
    async reset(key) {
      local.delete(key);
      await redis.del(attemptsKey(key)).catch(fallback);
    },
  };
}
