import type { Route } from '../domain/route';
import { baseDestination, finalDestination, needsCountry, targetUrl } from '../domain/destination';
import { previewOf, type Preview } from '../domain/pages';
import { verifyPassword } from '../domain/password';
import { agentOf } from '../domain/visitor';
import { newClickId, requestUtm } from './click-recorder';
import type { AttemptLimiter, ClickRecorder, Geo, RouteLookup } from './ports';

export type { AttemptLimiter, Geo };

/** One visitor request on /:shortId, as the HTTP layer read it. */
export interface LinkVisit {
  /** The route id: the key on the default domain, `<domain>/<key>` on a branded one. */
  shortId: string;
  method: 'GET' | 'HEAD' | 'POST';
  /** The short URL's query, null when it had none. */
  query: URLSearchParams | null;
  userAgent: string;
  referrer: string | null;
  ip: string | null;
  /** Resolved only when needed (geo targeting or a counted click). */
  geo: () => Geo;
  visitorId: string | null;
  /** The submitted password (POST only). */
  password?: string;
  /**
   * On a branded domain: the workspace it is verified for. A route of another workspace is not
   * served there (a domain that lapsed and was verified by another workspace keeps its old links' routes).
   */
  siteWorkspaceId?: string;
}

export type LinkOutcome =
  | { kind: 'not-found' }
  | { kind: 'paused' }
  | { kind: 'gone' }
  | { kind: 'expired-redirect'; location: string }
  | { kind: 'preview'; preview: Preview }
  | { kind: 'password'; problem: 'wrong' | 'locked' | null; retryAfterS?: number }
  | { kind: 'redirect'; status: 301 | 302 | 303; location: string; route: Route }
  | { kind: 'cloak'; location: string; route: Route }
  | { kind: 'hide-referrer'; location: string; route: Route };

export interface ServeLinkDeps {
  routes: RouteLookup;
  clicks: ClickRecorder;
  attempts: AttemptLimiter;
  /** Keyed hash of the visitor's IP (never stored raw), for the attempt limiter's key. */
  hashIp: (ip: string) => string;
  now?: () => number;
}

// Per cached route object: parsed expiry and base destinations per target (the hot path reuses them).
interface Prepared {
  expiresAtMs: number | null;
  bases: Map<string, string>;
}
const prepared = new WeakMap<Route, Prepared>();

function prepare(route: Route): Prepared {
  let p = prepared.get(route);
  if (!p) {
    p = { expiresAtMs: route.expiresAt ? Date.parse(route.expiresAt) : null, bases: new Map() };
    prepared.set(route, p);
  }
  return p;
}

function baseFor(route: Route, target: string): string {
  const { bases } = prepare(route);
  let base = bases.get(target);
  if (base === undefined) {
    base = baseDestination(target, route);
    bases.set(target, base);
  }
  return base;
}

/**
 * Decides what a visitor gets for a short link and records the click when one is counted.
 * Order: unknown → paused → expired → social preview → password → target (device, geo) → cloak /
 * hideReferrer / redirect.
 */
export async function serveLink(deps: ServeLinkDeps, visit: LinkVisit): Promise<LinkOutcome> {
  const route = await deps.routes.get(visit.shortId);
  if (!route || (visit.siteWorkspaceId !== undefined && route.workspaceId !== visit.siteWorkspaceId)) return { kind: 'not-found' };
  if (!route.active) return { kind: 'paused' };
  const { expiresAtMs } = prepare(route);
  if (expiresAtMs !== null && expiresAtMs <= (deps.now ?? Date.now)()) {
    return route.expiredUrl ? { kind: 'expired-redirect', location: route.expiredUrl } : { kind: 'gone' };
  }
  const agent = agentOf(visit.userAgent);
  const crawler = agent.socialCrawler;
  if (crawler) {
    const preview = previewOf(route);
    if (preview) return { kind: 'preview', preview };
  }
  if (route.passwordHash) {
    if (visit.method !== 'POST') return { kind: 'password', problem: null };
    const attemptKey = `${visit.shortId}:${visit.ip ? deps.hashIp(visit.ip) : 'unknown'}`;
    const retryAfterS = await deps.attempts.blockedFor(attemptKey);
    if (retryAfterS > 0) return { kind: 'password', problem: 'locked', retryAfterS };
    if (!verifyPassword(visit.password ?? '', route.passwordHash)) {
      await deps.attempts.recordFailure(attemptKey);
      return { kind: 'password', problem: 'wrong' };
    }
    await deps.attempts.reset(attemptKey);
  }

  const geo = needsCountry(route) || !crawler ? visit.geo() : { country: null, city: null };
  const target = targetUrl(route, { os: agent.os, country: geo.country });
  // Crawlers' ids are never recorded, so they are not signed: no lead can be tracked with one.
  const clickId = crawler ? newClickId() : deps.clicks.issueId(route);
  const location = finalDestination(baseFor(route, target), visit.query, clickId);
  // Crawlers of links without preview data follow the redirect to read the destination's own tags; not a click.
  if (!crawler) {
    const qr = visit.query?.get('qr') === '1';
    deps.clicks.record({
      route,
      clickId,
      destination: location,
      trigger: qr ? 'qr' : 'link',
      qr,
      bot: visit.method === 'HEAD' || agent.bot,
      referrer: visit.referrer,
      userAgent: visit.userAgent || null,
      ip: visit.ip,
      country: geo.country,
      city: geo.city,
      visitorId: visit.visitorId,
      requestUtm: requestUtm(visit.query),
    });
  }
  if (route.cloaked) return { kind: 'cloak', location, route };
  if (route.hideReferrer) return { kind: 'hide-referrer', location, route };
  // 303 after the password form: the browser GETs the destination and caches nothing.
  return { kind: 'redirect', status: visit.method === 'POST' ? 303 : route.redirectType, location, route };
}

/** The use case with its ports bound, as the HTTP handler calls it. */
export const createServeLink = (deps: ServeLinkDeps) => (visit: LinkVisit) => serveLink(deps, visit);

export type ServeLink = ReturnType<typeof createServeLink>;
