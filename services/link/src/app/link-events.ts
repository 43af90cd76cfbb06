import { newEvent, type DomainRecord, type Route, type RouteLeft } from '@hop/events';
import { routeIdOf } from '../domain/link-key';
import type { LeftRoute } from './ports';

/** links.v1 events are keyed by route id (the topic is compacted per route: domain + key). */
export function linkEventKey(event: LinkEvent): string {
  const route = event.type === 'link.upserted' ? event.data.route : event.data;
  return routeIdOf(route.domain ?? null, route.shortId);
}

export const linkUpserted = (route: Route, occurredAt: Date) => newEvent('link.upserted', route.workspaceId, { route }, occurredAt);

const leftRouteData = (left: LeftRoute): RouteLeft => ({ linkId: left.id, shortId: left.shortId, domain: left.domain, version: left.version });

export const linkDeleted = (workspaceId: string, deleted: LeftRoute, occurredAt: Date) =>
  newEvent('link.deleted', workspaceId, leftRouteData(deleted), occurredAt);

/** The link moved away from this route (its new one is announced by link.upserted). */
export const linkMoved = (workspaceId: string, left: LeftRoute, occurredAt: Date) => newEvent('link.moved', workspaceId, leftRouteData(left), occurredAt);

export type LinkEvent = ReturnType<typeof linkUpserted | typeof linkDeleted | typeof linkMoved>;

/** domains.v1 events are keyed by domain name. */
export const domainEventKey = (event: DomainEvent) => (event.type === 'domain.upserted' ? event.data.domain.name : event.data.name);

export const domainUpserted = (record: DomainRecord, occurredAt: Date) => newEvent('domain.upserted', record.workspaceId, { domain: record }, occurredAt);

export const domainDeleted = (workspaceId: string, name: string, version: number, occurredAt: Date) =>
  newEvent('domain.deleted', workspaceId, { name, version }, occurredAt);

export type DomainEvent = ReturnType<typeof domainUpserted | typeof domainDeleted>;
