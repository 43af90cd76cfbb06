import { once } from 'node:events';
import type Redis from 'ioredis';
import type { RedisConfig } from '@hop/config';
import { createRedis } from '@hop/runtime';
import type { Logger } from '@hop/telemetry';

/**
 * The gateway's Redis client fails fast instead of queueing while Redis is away (no offline
 * queue, short command timeout), so requests fail open at once rather than waiting.
 */
export async function connectGatewayRedis(config: RedisConfig, logger: Logger): Promise<Redis> {
  const redis = createRedis(config, {
    enableOfflineQueue: false,
    commandTimeout: 500,
    maxRetriesPerRequest: 0,
    // ioredis waits this long on close for a socket that may already be gone
    disconnectTimeout: 200,
  });
  let lastLogged = 0;
  redis.on('error', (err) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    logger.warn({ err }, 'Redis connection error');
  });
  // wait for the first connection (or its failure) so the first requests can use Redis
  await Promise.race([once(redis, 'ready'), once(redis, 'error'), new Promise((r) => setTimeout(r, 2_000).unref())]).catch(() => undefined);
  return redis;
}
