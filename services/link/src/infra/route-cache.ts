import type Redis from 'ioredis';
import { metrics, type Logger } from '@hop/telemetry';
import type { DomainRecord } from '../domain/custom-domain';
import type { Route } from '../domain/link';
import { routeIdOf } from '../domain/link-key';
import type { RecordCache } from '../app/ports';

/**
 * KEYS: record keys; ARGV[1]: channel, then per key its JSON and version. Sets each record
 * unless Redis holds a newer version (two writers may finish out of order), and announces its
 * id (the key's last segment, without the deployment prefix).
 */
const PUT_ROUTES = `
local channel = ARGV[1]
for i, key in ipairs(KEYS) do
  local json, version = ARGV[2 * i], tonumber(ARGV[2 * i + 1])
  local current = redis.call('GET', key)
  local newer = false
  if current then
    local ok, route = pcall(cjson.decode, current)
    newer = ok and type(route) == 'table' and tonumber(route.version) ~= nil and tonumber(route.version) > version
  end
  if not newer then redis.call('SET', key, json) end
  redis.call('PUBLISH', channel, string.match(key, '[^:]+$'))
end
return #KEYS`;

/** KEYS: record keys; ARGV[1]: channel. Deletes the records and announces their ids. */
const REMOVE_ROUTES = `
for _, key in ipairs(KEYS) do
  redis.call('DEL', key)
  redis.call('PUBLISH', ARGV[1], string.match(key, '[^:]+$'))
end
return #KEYS`;

/** Routes per script call: bounds how long one call holds Redis (a 10,000-link batch is 10 calls in one pipeline). */
const CHUNK = 1_000;

type Scripted = { putRoutes(...args: (string | number)[]): unknown; removeRoutes(...args: (string | number)[]): unknown };

const routeWriteFailures = metrics.counter('hop_link_route_write_failures_total', 'Route writes to Redis that failed (the projector repairs them)');

/**
 * Versioned JSON records the redirector reads from Redis (`<kind>:<id>`, see
 * docs/internal-contracts.md), written before the API answers, with a message per changed id on
 * `<prefix><kind>s` so redirectors drop their cached copy. Redis is a cache: when it fails, the
 * outbox → Kafka → projector path and the /internal lookups still serve the record, so a failure
 * is logged, not thrown.
 */
class RedisRecords<T extends { version: number }> {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly channel: string,
    private readonly idOf: (record: T) => string,
    private readonly logger: Logger,
  ) {
    // Without numberOfKeys, each call passes its key count first.
    if (!('putRoutes' in redis)) redis.defineCommand('putRoutes', { lua: PUT_ROUTES });
    if (!('removeRoutes' in redis)) redis.defineCommand('removeRoutes', { lua: REMOVE_ROUTES });
  }

  private key = (id: string) => `${this.keyPrefix}${id}`;

  async put(records: T[]): Promise<void> {
    await this.run(records, (pipeline, chunk) =>
      pipeline.putRoutes(
        chunk.length,
        ...chunk.map((r) => this.key(this.idOf(r))),
        this.channel,
        ...chunk.flatMap((r) => [JSON.stringify(r), r.version]),
      ),
    );
  }

  async remove(ids: string[]): Promise<void> {
    await this.run(ids, (pipeline, chunk) => pipeline.removeRoutes(chunk.length, ...chunk.map(this.key), this.channel));
  }

  private async run<T>(items: T[], add: (pipeline: Scripted, chunk: T[]) => unknown): Promise<void> {
    if (!items.length) return;
    const pipeline = this.redis.pipeline();
    for (let start = 0; start < items.length; start += CHUNK) add(pipeline as unknown as Scripted, items.slice(start, start + CHUNK));
    try {
      const failed = ((await pipeline.exec()) ?? []).find(([err]) => err);
      if (failed?.[0]) throw failed[0];
    } catch (err) {
      routeWriteFailures.inc(items.length);
      this.logger.error({ err, count: items.length }, 'record write to Redis failed');
    }
  }
}

/** Routes by route id (`route:<key>` on the default domain, `route:<domain>/<key>` on a branded one). */
export class RouteCache extends RedisRecords<Route> implements RecordCache<Route> {
  constructor(redis: Redis, keyPrefix: string, logger: Logger) {
    super(redis, 'route:', `${keyPrefix}routes`, (route) => routeIdOf(route.domain ?? null, route.shortId), logger);
  }
}

/** Verified domains by name (`domain:<name>`): a host the redirector serves; absent = not served. */
export class DomainCache extends RedisRecords<DomainRecord> implements RecordCache<DomainRecord> {
  constructor(redis: Redis, keyPrefix: string, logger: Logger) {
    super(redis, 'domain:', `${keyPrefix}domains`, (record) => record.name, logger);
  }
}
