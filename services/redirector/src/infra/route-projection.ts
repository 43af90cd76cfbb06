import type Redis from 'ioredis';
import type { DomainRecord, Route } from '../domain/route';
import type { RecordWriter } from '../app/ports';
import { domainKey, domainsChannel, routeKey, routesChannel } from './route-store';

/** Remembers a deleted record's version for a while, so a late older upsert cannot resurrect it. */
const routeTombstone = (routeId: string) => `route-deleted:${routeId}`;
const domainTombstone = (name: string) => `domain-deleted:${name}`;
const TOMBSTONE_TTL_S = 7 * 24 * 3600;

/** Lua: ends the script (returning 0) when the stored record is newer than the version in `versionArg`. */
const stopIfStoredNewer = (versionArg: string) => `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, route = pcall(cjson.decode, current)
  if ok and type(route) == 'table' and tonumber(route.version) and tonumber(route.version) > tonumber(${versionArg}) then return 0 end
end`;

// Both scripts: never replace a newer version with an older one; publish the shortId when changed.
const UPSERT = `${stopIfStoredNewer('ARGV[2]')}
local deleted = redis.call('GET', KEYS[2])
if deleted and tonumber(deleted) > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`;

const DELETE = `${stopIfStoredNewer('ARGV[1]')}
local deleted = redis.call('GET', KEYS[2])
if not deleted or tonumber(deleted) < tonumber(ARGV[1]) then redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[4]) end
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;

type ProjectionRedis = Redis & {
  projectRouteUpsert(route: string, tombstone: string, json: string, version: number, channel: string, shortId: string): Promise<number>;
  projectRouteDelete(route: string, tombstone: string, version: number, channel: string, shortId: string, ttlS: number): Promise<number>;
};

/**
 * Writes records to Redis as the link service does, version-guarded, with invalidations:
 * routes (`route:<routeId>`) and served domains (`domain:<name>`).
 */
class RecordProjection<T> implements RecordWriter<T> {
  private readonly redis: ProjectionRedis;

  constructor(
    redis: Redis,
    private readonly channel: string,
    private readonly keyOf: (id: string) => string,
    private readonly tombstoneOf: (id: string) => string,
  ) {
    if (!('projectRouteUpsert' in redis)) redis.defineCommand('projectRouteUpsert', { numberOfKeys: 2, lua: UPSERT });
    if (!('projectRouteDelete' in redis)) redis.defineCommand('projectRouteDelete', { numberOfKeys: 2, lua: DELETE });
    this.redis = redis as ProjectionRedis;
  }

  /** True when the record was written (false: Redis already holds a newer version or a newer deletion). */
  async upsert(id: string, record: T & { version: number }): Promise<boolean> {
    return (await this.redis.projectRouteUpsert(this.keyOf(id), this.tombstoneOf(id), JSON.stringify(record), record.version, this.channel, id)) === 1;
  }

  /** True when a record was deleted (false: absent, or Redis holds a newer version). */
  async remove(id: string, version: number): Promise<boolean> {
    return (await this.redis.projectRouteDelete(this.keyOf(id), this.tombstoneOf(id), version, this.channel, id, TOMBSTONE_TTL_S)) === 1;
  }
}

export class RouteProjection extends RecordProjection<Route> {
  constructor(redis: Redis, keyPrefix: string) {
    super(redis, routesChannel(keyPrefix), routeKey, routeTombstone);
  }
}

export class DomainProjection extends RecordProjection<DomainRecord> {
  constructor(redis: Redis, keyPrefix: string) {
    super(redis, domainsChannel(keyPrefix), domainKey, domainTombstone);
  }
}
