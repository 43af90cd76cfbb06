import type Redis from 'ioredis';
import { metrics, type Logger } from '@hop/telemetry';
import type { Route } from '../domain/link';

/**
 * KEYS: route keys; ARGV[1]: channel, then per key its route JSON and version. Sets each route
 * unless Redis holds a newer version (two writers may finish out of order), and announces its
 * short id (the key's last segment, without the deployment prefix).
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

/** KEYS: route keys; ARGV[1]: channel. Deletes the routes and announces their short ids. */
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
 * The redirector's routes in Redis (`route:<shortId>`, see docs/internal-contracts.md), written
 * before the API answers, with a message per changed short id on `<prefix>routes` so redirectors
 * drop their cached copy. Redis is a cache: when it fails, the outbox → links.v1 → projector path
 * and GET /internal/routes/:shortId still serve the route, so a failure is logged, not thrown.
 */
export class RouteCache {
  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {
    // Without numberOfKeys, each call passes its key count first.
    if (!('putRoutes' in redis)) redis.defineCommand('putRoutes', { lua: PUT_ROUTES });
    if (!('removeRoutes' in redis)) redis.defineCommand('removeRoutes', { lua: REMOVE_ROUTES });
  }

  static key = (shortId: string) => `route:${shortId}`;

  async put(routes: Route[]): Promise<void> {
    await this.run(routes, (pipeline, chunk) =>
      pipeline.putRoutes(
        chunk.length,
        ...chunk.map((r) => RouteCache.key(r.shortId)),
        this.channel,
        ...chunk.flatMap((r) => [JSON.stringify(r), r.version]),
      ),
    );
  }

  async remove(shortIds: string[]): Promise<void> {
    await this.run(shortIds, (pipeline, chunk) => pipeline.removeRoutes(chunk.length, ...chunk.map(RouteCache.key), this.channel));
  }

  private async run<T>(items: T[], add: (pipeline: Scripted, chunk: T[]) => unknown): Promise<void> {
    if (!items.length) return;
    const pipeline = this.redis.pipeline();
    for (let start = 0; start < items.length; start += CHUNK) add(pipeline as unknown as Scripted, items.slice(start, start + CHUNK));
    try {
      const failed = ((await pipeline.exec()) ?? []).find(([err]) => err);
      if (failed) throw failed[0];
    } catch (err) {
      routeWriteFailures.inc(items.length);
      this.logger.error({ err, count: items.length }, 'route write to Redis failed');
    }
  }
}
