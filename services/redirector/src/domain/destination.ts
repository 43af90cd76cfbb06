import type { Route, Utm } from './route';

/** The query parameter carrying the click id to the destination (DESIGN.md). */
export const CLICK_ID_PARAM = 'hoko_id';
/** Query parameters of the short URL that steer the redirector and are not forwarded. */
export const RESERVED_PARAMS = new Set(['qr', CLICK_ID_PARAM]);

const UTM_PARAMS: [keyof Utm, string][] = [
  ['source', 'utm_source'],
  ['medium', 'utm_medium'],
  ['campaign', 'utm_campaign'],
  ['term', 'utm_term'],
  ['content', 'utm_content'],
  ['referral', 'ref'],
];

/** The link's utm as query parameters (utm_source … utm_content, and `ref` for referral). */
export function utmParams(utm: Utm | null | undefined): Record<string, string> | null {
  if (!utm) return null;
  let out: Record<string, string> | null = null;
  for (const [key, param] of UTM_PARAMS) {
    const value = utm[key];
    if (value) (out ??= {})[param] = value;
  }
  return out;
}

/**
 * The destination before the visitor's own parameters: `target` with the link's utm and params.
 *
 * Query precedence when names clash, lowest to highest:
 *   1. the target URL's own query,
 *   2. the link's utm (utm_source … utm_content, ref),
 *   3. the link's `params`,
 *   4. the visitor's query on the short URL (except the reserved `qr` and `hoko_id`),
 *   5. `hoko_id=<clickId>`, always set by the redirector.
 * A later layer replaces every value of a name set by an earlier one.
 */
export function baseDestination(target: string, route: Pick<Route, 'utm' | 'params'>): string {
  const url = new URL(target);
  const layers = [utmParams(route.utm), route.params];
  for (const layer of layers) if (layer) for (const [name, value] of Object.entries(layer)) url.searchParams.set(name, value);
  url.searchParams.delete(CLICK_ID_PARAM);
  return url.toString();
}

/** Layers 4 and 5 of the precedence above on a base destination. */
export function finalDestination(base: string, visitorQuery: URLSearchParams | null, clickId: string): string {
  if (!visitorQuery || !hasForwardable(visitorQuery)) return appendParam(base, CLICK_ID_PARAM, clickId);
  const url = new URL(base);
  for (const name of new Set(visitorQuery.keys())) {
    if (RESERVED_PARAMS.has(name)) continue;
    url.searchParams.delete(name);
    for (const value of visitorQuery.getAll(name)) url.searchParams.append(name, value);
  }
  url.searchParams.set(CLICK_ID_PARAM, clickId);
  return url.toString();
}

function hasForwardable(query: URLSearchParams): boolean {
  for (const name of query.keys()) if (!RESERVED_PARAMS.has(name)) return true;
  return false;
}

/**
 * Appends `name=value` before any fragment without re-serialising the URL (the hot path's common
 * case). `value` must be URL-safe already: click ids are (nanoid and base64url alphabets).
 */
function appendParam(url: string, name: string, value: string): string {
  const hash = url.indexOf('#');
  const head = hash < 0 ? url : url.slice(0, hash);
  const tail = hash < 0 ? '' : url.slice(hash);
  const sep = head.includes('?') ? (head.endsWith('?') || head.endsWith('&') ? '' : '&') : '?';
  return `${head}${sep}${name}=${value}${tail}`;
}

export interface Visitor {
  /** Operating system name as ua-parser-js reports it ('iOS', 'Android', …), when known. */
  os: string | null;
  /** ISO 3166-1 alpha-2, upper case, when known. */
  country: string | null;
}

/** Which URL the visitor goes to: device targeting first (ios, android), then geo, else the link's url. */
export function targetUrl(route: Pick<Route, 'url' | 'ios' | 'android' | 'geo'>, visitor: Visitor): string {
  if (visitor.os === 'iOS' && route.ios) return route.ios;
  if (visitor.os === 'Android' && route.android) return route.android;
  const geo = visitor.country && route.geo?.[visitor.country];
  return geo || route.url;
}

/** True when choosing the target needs the visitor's country. */
export const needsCountry = (route: Pick<Route, 'geo'>) => Boolean(route.geo && Object.keys(route.geo).length);
