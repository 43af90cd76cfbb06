import type { EventEnvelope } from '@hop/events';
import type { Route } from '../domain/route';

export interface RouteWriter {
  upsert(route: Route): Promise<boolean>;
  remove(shortId: string, version: number): Promise<boolean>;
}

/**
 * Applies links.v1 events to the routes, in order. Idempotent: each write is guarded by the route
 * version, so a redelivered or replayed event changes nothing.
 */
export async function projectLinkEvents(events: EventEnvelope[], routes: RouteWriter): Promise<void> {
  for (const event of events) {
    if (event.type === 'link.upserted') await routes.upsert((event.data as { route: Route }).route);
    else if (event.type === 'link.deleted') {
      const { shortId, version } = event.data as { shortId: string; version: number };
      await routes.remove(shortId, version);
    }
  }
}
