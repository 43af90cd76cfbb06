import { nanoid } from 'nanoid';
import { LinkClickIds, clickIdKey } from '@hop/events';
import type { Route } from '../domain/route';

/**
 * Signed click ids (`@hop/events` click-id.ts) for a route's clicks: the conversion service trusts
 * one the moment its redirect is answered, before any recent-click record is written. Each cached
 * route object keeps its link's issuer (ids are tagged in batches); a route whose ids are not
 * UUIDs gets unsigned random ids (looked up as before).
 */
export function signedClickIds(internalSecret: string): (route: Route) => string {
  const key = clickIdKey(internalSecret);
  const issuers = new WeakMap<Route, LinkClickIds | null>();
  return (route) => {
    let issuer = issuers.get(route);
    if (issuer === undefined) issuers.set(route, (issuer = LinkClickIds.create(key, route.workspaceId, route.linkId)));
    return issuer ? issuer.issue() : nanoid();
  };
}
