import { newEvent, type EventEnvelope } from '@hop/events';
import type { DomainRecord } from '../domain/custom-domain';
import type { Route } from '../domain/link';
import { routeIdOf } from '../domain/link-key';

/** links.v1 events are keyed by route id (the topic is compacted per route: domain + key). */
export function linkEventKey(event: EventEnvelope): string {
  const data = event.data as { route?: Route; shortId?: string; domain?: string | null };
  const route = data.route ?? { domain: data.domain ?? null, shortId: data.shortId as string };
  return routeIdOf(route.domain ?? null, route.shortId);
}

export const linkUpserted = (route: Route, occurredAt: Date) => newEvent('link.upserted', route.workspaceId, { route }, occurredAt);

/** A route a link no longer answers at. */
export interface LeftRoute {
  id: string;
  shortId: string;
  domain: string | null;
  version: number;
}

const leftRouteData = (left: LeftRoute) => ({ linkId: left.id, shortId: left.shortId, domain: left.domain, version: left.version });

export const linkDeleted = (workspaceId: string, deleted: LeftRoute, occurredAt: Date) =>
  newEvent('link.deleted', workspaceId, leftRouteData(deleted), occurredAt);

/** The link moved away from this route (its new one is announced by link.upserted). */
export const linkMoved = (workspaceId: string, left: LeftRoute, occurredAt: Date) => newEvent('link.moved', workspaceId, leftRouteData(left), occurredAt);

/** domains.v1 events are keyed by domain name. */
export const domainEventKey = (event: EventEnvelope) => {
  const data = event.data as { domain?: DomainRecord; name?: string };
  return data.domain?.name ?? (data.name as string);
};

export const domainUpserted = (record: DomainRecord, occurredAt: Date) => newEvent('domain.upserted', record.workspaceId, { domain: record }, occurredAt);

export const domainDeleted = (workspaceId: string, name: string, version: number, occurredAt: Date) =>
  newEvent('domain.deleted', workspaceId, { name, version }, occurredAt);
