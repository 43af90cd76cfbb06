import type Redis from 'ioredis';
import type { Route } from '../domain/route';
import { routeKey, routesChannel } from './route-store';

/** Remembers a deleted route's version for a while, so a late older upsert cannot resurrect it. */
const tombstoneKey = (shortId: string) => `route-deleted:${shortId}`;
const TOMBSTONE_TTL_S = 7 * 24 * 3600;

// Both scripts: never replace a newer version with an older one; publish the shortId when changed.
const UPSERT = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, route = pcall(cjson.decode, current)
  if ok and type(route) == 'table' and tonumber(route.version) and tonumber(route.version) > tonumber(ARGV[2]) then return 0 end
end
local deleted = redis.call('GET', KEYS[2])
if deleted and tonumber(deleted) > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`;

const DELETE = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, route = pcall(cjson.decode, current)
  if ok and type(route) == 'table' and tonumber(route.version) and tonumber(route.version) > tonumber(ARGV[1]) then return 0 end
end
local deleted = redis.call('GET', KEYS[2])
if not deleted or tonumber(deleted) < tonumber(ARGV[1]) then redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[4]) end
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;

type ProjectionRedis = Redis & {
  projectRouteUpsert(route: string, tombstone: string, json: string, version: number, channel: string, shortId: string): Promise<number>;
  projectRouteDelete(route: string, tombstone: string, version: number, channel: string, shortId: string, ttlS: number): Promise<number>;
};

/** Writes routes to Redis as the link service does (`route:<shortId>`), version-guarded, with invalidations. */
export class RouteProjection {
  private readonly redis: ProjectionRedis;
  private readonly channel: string;

  constructor(redis: Redis, keyPrefix: string) {
    redis.defineCommand('projectRouteUpsert', { numberOfKeys: 2, lua: UPSERT });
    redis.defineCommand('projectRouteDelete', { numberOfKeys: 2, lua: DELETE });
    this.redis = redis as ProjectionRedis;
    this.channel = routesChannel(keyPrefix);
  }

  /** True when the route was written (false: Redis already holds a newer version or a newer deletion). */
  async upsert(route: Route): Promise<boolean> {
    const { shortId, version } = route;
    return (await this.redis.projectRouteUpsert(routeKey(shortId), tombstoneKey(shortId), JSON.stringify(route), version, this.channel, shortId)) === 1;
  }

  /** True when a route was deleted (false: absent, or Redis holds a newer version). */
  async remove(shortId: string, version: number): Promise<boolean> {
    return (await this.redis.projectRouteDelete(routeKey(shortId), tombstoneKey(shortId), version, this.channel, shortId, TOMBSTONE_TTL_S)) === 1;
  }
}
