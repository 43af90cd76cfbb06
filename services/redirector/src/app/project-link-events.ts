import type { EventEnvelope } from '@hop/events';
import { routeIdOf, type DomainRecord, type Route } from '../domain/route';

/** Version-guarded writes of records by id (routes by route id, domains by name). */
export interface RecordWriter<T> {
  upsert(id: string, record: T & { version: number }): Promise<boolean>;
  remove(id: string, version: number): Promise<boolean>;
}

export type RouteWriter = RecordWriter<Route>;

/**
 * Applies links.v1 events to the routes, in order. Idempotent: each write is guarded by the route
 * version, so a redelivered or replayed event changes nothing. A link that moved (new domain or
 * key) leaves its old route like a deleted one; its new route comes as link.upserted.
 */
export async function projectLinkEvents(events: EventEnvelope[], routes: RouteWriter): Promise<void> {
  for (const event of events) {
    if (event.type === 'link.upserted') {
      const { route } = event.data as { route: Route };
      await routes.upsert(routeIdOf(route.domain ?? null, route.shortId), route);
    } else if (event.type === 'link.deleted' || event.type === 'link.moved') {
      const { shortId, domain, version } = event.data as { shortId: string; domain?: string | null; version: number };
      await routes.remove(routeIdOf(domain ?? null, shortId), version);
    }
  }
}

/** Applies domains.v1 events: a verified domain is served, a deleted one no longer (same guards). */
export async function projectDomainEvents(events: EventEnvelope[], domains: RecordWriter<DomainRecord>): Promise<void> {
  for (const event of events) {
    if (event.type === 'domain.upserted') {
      const { domain } = event.data as { domain: DomainRecord };
      await domains.upsert(domain.name, domain);
    } else if (event.type === 'domain.deleted') {
      const { name, version } = event.data as { name: string; version: number };
      await domains.remove(name, version);
    }
  }
}
