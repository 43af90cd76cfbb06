import type { TopicEvent } from '@hop/events';
import { routeIdOf, type DomainRecord } from '../domain/route';
import type { RecordWriter, RouteWriter } from './ports';

export type { RecordWriter, RouteWriter };

/**
 * Applies links.v1 events to the routes, in order. Idempotent: each write is guarded by the route
 * version, so a redelivered or replayed event changes nothing. A link that moved (new domain or
 * key) leaves its old route like a deleted one; its new route comes as link.upserted.
 */
export async function projectLinkEvents(events: TopicEvent<'links'>[], routes: RouteWriter): Promise<void> {
  for (const event of events) {
    if (event.type === 'link.upserted') {
      const { route } = event.data;
      await routes.upsert(routeIdOf(route.domain ?? null, route.shortId), route);
    } else if (event.type === 'link.deleted' || event.type === 'link.moved') {
      const { shortId, domain, version } = event.data;
      await routes.remove(routeIdOf(domain ?? null, shortId), version);
    }
  }
}

/** Applies domains.v1 events: a verified domain is served, a deleted one no longer (same guards). */
export async function projectDomainEvents(events: TopicEvent<'domains'>[], domains: RecordWriter<DomainRecord>): Promise<void> {
  for (const event of events) {
    if (event.type === 'domain.upserted') {
      const { domain } = event.data;
      await domains.upsert(domain.name, domain);
    } else if (event.type === 'domain.deleted') {
      const { name, version } = event.data;
      await domains.remove(name, version);
    }
  }
}
