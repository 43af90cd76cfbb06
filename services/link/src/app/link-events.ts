import { newEvent, type EventEnvelope } from '@hop/events';
import type { Route } from '../domain/link';

/** links.v1 events are keyed by short id (the topic is compacted per short link). */
export function linkEventKey(event: EventEnvelope): string {
  const data = event.data as { route?: Route; shortId?: string };
  return data.route?.shortId ?? (data.shortId as string);
}

export const linkUpserted = (route: Route, occurredAt: Date) => newEvent('link.upserted', route.workspaceId, { route }, occurredAt);

export const linkDeleted = (workspaceId: string, deleted: { id: string; shortId: string; version: number }, occurredAt: Date) =>
  newEvent('link.deleted', workspaceId, { linkId: deleted.id, shortId: deleted.shortId, version: deleted.version }, occurredAt);
