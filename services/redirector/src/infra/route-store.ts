import { LRUCache } from 'lru-cache';
import type Redis from 'ioredis';
import type Joi from 'joi';
import { domainRecordSchema, routeSchema } from '@hop/events';
import { DomainError } from '@hop/errors';
import { InternalClient } from '@hop/http';
import { metrics, type Logger } from '@hop/telemetry';
import { routeIdOf, type DomainRecord, type Route } from '../domain/route';
import type { DomainLookup, RouteLookup } from '../app/ports';

/** Redis key of a route, by route id (`<key>` on the default domain, `<domain>/<key>` on a branded one). */
export const routeKey = (routeId: string) => `route:${routeId}`;
/** The invalidation channel: ioredis does not prefix channels, so the key prefix is added by hand. */
export const routesChannel = (keyPrefix: string) => `${keyPrefix}routes`;
/** Redis key of a served (verified) branded domain. */
export const domainKey = (name: string) => `domain:${name}`;
export const domainsChannel = (keyPrefix: string) => `${keyPrefix}domains`;

const SOURCES = ['memory', 'redis', 'link-service', 'unknown', 'stale'] as const;
type Source = (typeof SOURCES)[number];
// Children resolved once: labelled inc() hashes its labels on every call.
const countersOf = (name: string, help: string) => {
  const counter = metrics.counter(name, help, ['source']);
  return Object.fromEntries(SOURCES.map((s) => [s, counter.labels(s)])) as Record<Source, ReturnType<typeof counter.labels>>;
};

/** One kind of record the redirector reads: where it lives in Redis and the link service, and its schema. */
interface RecordKind<T> {
  redisKey(id: string): string;
  internalPath(id: string): string;
  schema: Joi.ObjectSchema<T>;
  idOf(record: T): string;
  answeredBy: Record<Source, { inc(): void }>;
}

const ROUTES: RecordKind<Route> = {
  redisKey: routeKey,
  internalPath: (id) => {
    const slash = id.indexOf('/');
    if (slash < 0) return `/internal/routes/${encodeURIComponent(id)}`;
    return `/internal/routes/${encodeURIComponent(id.slice(slash + 1))}?domain=${encodeURIComponent(id.slice(0, slash))}`;
  },
  schema: routeSchema,
  idOf: (route) => routeIdOf(route.domain ?? null, route.shortId),
  answeredBy: countersOf('hop_redirector_route_lookups_total', 'Route lookups by where they were answered'),
};

const DOMAINS: RecordKind<DomainRecord> = {
  redisKey: domainKey,
  internalPath: (name) => `/internal/domains/${encodeURIComponent(name)}`,
  schema: domainRecordSchema,
  idOf: (record) => record.name,
  answeredBy: countersOf('hop_redirector_domain_lookups_total', 'Branded domain lookups by where they were answered'),
};

const NOT_FOUND = Symbol('not found');

export interface RouteStoreOptions {
  /** The hot-path client (offline queue off: a down Redis fails at once instead of stalling requests). */
  redis: Redis;
  linkUrl: string;
  internalSecret: string;
  ttlMs: number;
  missTtlMs: number;
  max: number;
  lookupTimeoutMs: number;
  logger: Logger;
}

/**
 * Records by id: in-process LRU (short TTL, dropped on invalidation) → Redis → the link service's
 * /internal lookup. Concurrent misses of one id share one lookup; when both Redis and the link
 * service fail, a stale cached record is still served, and without one the lookup fails
 * (UPSTREAM_UNAVAILABLE → 503) rather than calling the record unknown.
 */
class RecordStore<T extends object> {
  private readonly cache: LRUCache<string, T | typeof NOT_FOUND>;
  private readonly links: InternalClient;
  private readonly answeredBy: Record<Source, { inc(): void }>;

  constructor(
    private readonly options: RouteStoreOptions,
    private readonly kind: RecordKind<T>,
  ) {
    this.answeredBy = kind.answeredBy;
    this.links = new InternalClient({ baseUrl: options.linkUrl, secret: options.internalSecret, timeoutMs: options.lookupTimeoutMs * 4 });
    this.cache = new LRUCache<string, T | typeof NOT_FOUND>({
      max: options.max,
      ttl: Math.max(1, options.ttlMs),
      noDeleteOnStaleGet: true,
      fetchMethod: async (shortId, stale, { options: entry }) => {
        try {
          const route = await this.lookUp(shortId);
          if (route) return route;
          entry.ttl = Math.max(1, options.missTtlMs);
          return NOT_FOUND;
        } catch (err) {
          // Redis and the link service both failed: keep serving what we had, and retry soon.
          if (stale === undefined) throw err;
          this.answeredBy.stale.inc();
          entry.ttl = Math.max(1, options.missTtlMs);
          return stale;
        }
      },
    });
  }

  /** The record, or null when unknown (see RouteLookup.get for failures). */
  async get(id: string): Promise<T | null> {
    let entry = this.cache.get(id);
    if (entry === undefined) entry = await this.load(id);
    else this.answeredBy.memory.inc();
    return entry === undefined || entry === NOT_FOUND ? null : entry;
  }

  private async load(shortId: string, attempts = 3): Promise<T | typeof NOT_FOUND | undefined> {
    try {
      return await this.cache.fetch(shortId);
    } catch (err) {
      // lru-cache aborts a load when its key is invalidated meanwhile: load the new route instead.
      if (err instanceof DomainError || attempts <= 1) throw err;
      return this.load(shortId, attempts - 1);
    }
  }

  /** Drops an id from the in-process cache (its record changed). */
  invalidate(shortId: string): void {
    this.cache.delete(shortId);
  }

  /** Drops everything (invalidations may have been missed while the subscription was down). */
  clear(): void {
    this.cache.clear();
  }

  private async lookUp(id: string): Promise<T | null> {
    const fromRedis = await this.fromRedis(id);
    if (fromRedis) {
      this.answeredBy.redis.inc();
      return fromRedis;
    }
    const record = await this.links.get<unknown>(this.kind.internalPath(id), {});
    this.answeredBy[record ? 'link-service' : 'unknown'].inc();
    return record ? this.parse(id, record) : null;
  }

  /** The record in Redis, or null when absent, unreadable or Redis is unavailable (the caller falls back). */
  private async fromRedis(id: string): Promise<T | null> {
    try {
      const raw = await this.options.redis.get(this.kind.redisKey(id));
      return raw ? this.parse(id, JSON.parse(raw)) : null;
    } catch (err) {
      this.options.logger.debug({ err: (err as Error).message, id }, 'lookup in Redis failed; asking the link service');
      return null;
    }
  }

  private parse(id: string, value: unknown): T | null {
    const result: Joi.ValidationResult<T> = this.kind.schema.validate(value);
    if (!result.error && this.kind.idOf(result.value) === id) return result.value;
    this.options.logger.error({ id, err: result.error?.message ?? 'id mismatch' }, 'ignoring an invalid record');
    return null;
  }
}

/** Routes by route id (see routeIdOf). */
export class RouteStore extends RecordStore<Route> implements RouteLookup {
  constructor(options: RouteStoreOptions) {
    super(options, ROUTES);
  }
}

/** Served (verified) branded domains by name: absent means the host is not served. */
export class DomainStore extends RecordStore<DomainRecord> implements DomainLookup {
  constructor(options: RouteStoreOptions) {
    super(options, DOMAINS);
  }
}

/**
 * Keeps the stores in step with changes: drops an id on each message of its invalidation channel
 * (routes, and domains when given), everything after a reconnect. Uses its own connection (subscriber mode).
 */
export async function subscribeToInvalidations(subscriber: Redis, keyPrefix: string, store: RouteStore, logger: Logger, domains?: DomainStore): Promise<void> {
  const stores = new Map<string, { invalidate(id: string): void; clear(): void }>([[routesChannel(keyPrefix), store]]);
  if (domains) stores.set(domainsChannel(keyPrefix), domains);
  subscriber.on('message', (from: string, id: string) => {
    stores.get(from)?.invalidate(id);
  });
  let subscribedOnce = false;
  subscriber.on('ready', () => {
    if (subscribedOnce) {
      logger.info('invalidations reconnected; clearing the route and domain caches');
      for (const s of stores.values()) s.clear();
    }
    subscribedOnce = true;
  });
  await subscriber.subscribe(...stores.keys()).catch((err) => logger.warn({ err: (err as Error).message }, 'invalidation subscribe failed; retrying on reconnect'));
}
