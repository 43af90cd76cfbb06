import { nanoid } from 'nanoid';
import { ClickIdIssuer, clickIdKey, clickIdSubject, type ClickIdSubject } from '@hop/events';
import type { Route } from '../domain/route';

/**
 * Signed click ids (`@hop/events` click-id.ts) for a route's clicks: the conversion service trusts
 * one the moment its redirect is answered, before any recent-click record is written. The
 * route's subject bytes are kept with the cached route object; a route whose ids are not UUIDs
 * gets unsigned random ids (looked up as before).
 */
export function signedClickIds(internalSecret: string): (route: Route) => string {
  const issuer = new ClickIdIssuer(clickIdKey(internalSecret));
  const subjects = new WeakMap<Route, ClickIdSubject | null>();
  return (route) => {
    let subject = subjects.get(route);
    if (subject === undefined) subjects.set(route, (subject = clickIdSubject(route.workspaceId, route.linkId)));
    return subject ? issuer.issue(subject) : nanoid();
  };
}
