import { LRUCache } from 'lru-cache';
import type Redis from 'ioredis';
import { routeSchema } from '@hop/events';
import { DomainError } from '@hop/errors';
import { InternalClient } from '@hop/http';
import { metrics, type Logger } from '@hop/telemetry';
import type { Route } from '../domain/route';
import type { RouteLookup } from '../http/handler-types';

export const routeKey = (shortId: string) => `route:${shortId}`;
/** The invalidation channel: ioredis does not prefix channels, so the key prefix is added by hand. */
export const routesChannel = (keyPrefix: string) => `${keyPrefix}routes`;

const lookups = metrics.counter('hop_redirector_route_lookups_total', 'Route lookups by where they were answered', ['source']);
// Children resolved once: labelled inc() hashes its labels on every call.
const answeredBy = Object.fromEntries(['memory', 'redis', 'link-service', 'unknown', 'stale'].map((s) => [s, lookups.labels(s)]));

const NOT_FOUND = Symbol('not found');
type Entry = Route | typeof NOT_FOUND;

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
 * Routes by shortId: in-process LRU (short TTL, dropped on invalidation) → Redis `route:<shortId>`
 * → the link service's `GET /internal/routes/:shortId`. Concurrent misses of one shortId share one
 * lookup; when both Redis and the link service fail, a stale cached route is still served, and
 * without one the lookup fails (UPSTREAM_UNAVAILABLE → 503) rather than calling the link unknown.
 */
export class RouteStore implements RouteLookup {
  private readonly cache: LRUCache<string, Entry>;
  private readonly links: InternalClient;

  constructor(private readonly options: RouteStoreOptions) {
    this.links = new InternalClient({ baseUrl: options.linkUrl, secret: options.internalSecret, timeoutMs: options.lookupTimeoutMs * 4 });
    this.cache = new LRUCache<string, Entry>({
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
          answeredBy.stale.inc();
          entry.ttl = Math.max(1, options.missTtlMs);
          return stale;
        }
      },
    });
  }

  async get(shortId: string): Promise<Route | null> {
    let entry = this.cache.get(shortId);
    if (entry === undefined) entry = await this.load(shortId);
    else answeredBy.memory.inc();
    return entry === undefined || entry === NOT_FOUND ? null : entry;
  }

  private async load(shortId: string, attempts = 3): Promise<Entry | undefined> {
    try {
      return await this.cache.fetch(shortId);
    } catch (err) {
      // lru-cache aborts a load when its key is invalidated meanwhile: load the new route instead.
      if (err instanceof DomainError || attempts <= 1) throw err;
      return this.load(shortId, attempts - 1);
    }
  }

  /** Drops a shortId from the in-process cache (its route changed). */
  invalidate(shortId: string): void {
    this.cache.delete(shortId);
  }

  /** Drops everything (invalidations may have been missed while the subscription was down). */
  clear(): void {
    this.cache.clear();
  }

  private async lookUp(shortId: string): Promise<Route | null> {
    const fromRedis = await this.fromRedis(shortId);
    if (fromRedis) {
      answeredBy.redis.inc();
      return fromRedis;
    }
    const route = await this.links.get<unknown>(`/internal/routes/${encodeURIComponent(shortId)}`, {});
    answeredBy[route ? 'link-service' : 'unknown'].inc();
    return route ? this.parse(shortId, route) : null;
  }

  /** The route in Redis, or null when absent, unreadable or Redis is unavailable (the caller falls back). */
  private async fromRedis(shortId: string): Promise<Route | null> {
    try {
      const raw = await this.options.redis.get(routeKey(shortId));
      return raw ? this.parse(shortId, JSON.parse(raw)) : null;
    } catch (err) {
      this.options.logger.debug({ err: (err as Error).message, shortId }, 'route lookup in Redis failed; asking the link service');
      return null;
    }
  }

  private parse(shortId: string, value: unknown): Route | null {
    const { error, value: route } = routeSchema.validate(value);
    if (!error && route.shortId === shortId) return route as Route;
    this.options.logger.error({ shortId, err: error?.message ?? 'shortId mismatch' }, 'ignoring an invalid route');
    return null;
  }
}

/**
 * Keeps a RouteStore in step with route changes: drops a shortId on each message of the
 * invalidation channel, everything after a reconnect. Uses its own connection (subscriber mode).
 */
export async function subscribeToInvalidations(subscriber: Redis, keyPrefix: string, store: RouteStore, logger: Logger): Promise<void> {
  const channel = routesChannel(keyPrefix);
  subscriber.on('message', (from: string, shortId: string) => {
    if (from === channel) store.invalidate(shortId);
  });
  let subscribedOnce = false;
  subscriber.on('ready', () => {
    if (subscribedOnce) {
      logger.info('route invalidations reconnected; clearing the route cache');
      store.clear();
    }
    subscribedOnce = true;
  });
  await subscriber.subscribe(channel).catch((err) => logger.warn({ err: (err as Error).message }, 'route invalidation subscribe failed; retrying on reconnect'));
}
