import type { Scope } from './scopes';

export const UPSTREAMS = ['link', 'catalog', 'partner', 'analytics', 'conversion', 'webhook'] as const;
export type Upstream = (typeof UPSTREAMS)[number];

/**
 * The public APIs the gateway serves. Hoko is Hop's own API; shortpen and hozip are the peers'
 * list endpoints, kept so their users' scripts work unchanged (each answers errors in its own shape).
 */
export type ApiFamily = 'hoko' | 'shortpen' | 'hozip';

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** Which public API a path belongs to; null for the gateway's own pages (docs, admin, health). */
/** The path of a request URL (without its query). */
export function pathOf(url = '/'): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

export function apiFamilyOf(path: string): ApiFamily | null {
  if (under(path, '/api/v1/external')) return 'hozip';
  if (under(path, '/api')) return 'hoko';
  if (under(path, '/v1')) return 'shortpen';
  return null;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  scope: Scope;
  /** The service the request is streamed to, or the gateway itself (its access context). */
  upstream: Upstream | 'gateway';
  /** A long-lived response (server-sent events): proxied without the upstream timeout. */
  stream?: true;
}

const crud = (path: string, read: Scope, write: Scope, upstream: Upstream): ApiRoute[] => [
  { method: 'GET', path, scope: read, upstream },
  { method: 'POST', path, scope: write, upstream },
  { method: 'PUT', path, scope: write, upstream },
  { method: 'DELETE', path, scope: write, upstream },
];

/**
 * Method + path → required scope and owning service: the one table (Hoko's API Keys page).
 * Partners' PUT/DELETE pages say linksWrite, the API Keys page says partnersWrite: the latter wins.
 */
export const ROUTES: readonly ApiRoute[] = [
  ...crud('/api/links', 'linksRead', 'linksWrite', 'link'),
  ...crud('/api/collections', 'collectionsRead', 'collectionsWrite', 'catalog'),
  ...crud('/api/tags', 'tagsRead', 'tagsWrite', 'catalog'),
  ...crud('/api/partners', 'partnersRead', 'partnersWrite', 'partner'),
  ...crud('/api/domains', 'domainsRead', 'domainsWrite', 'link'),
  { method: 'POST', path: '/api/domains/{id}/verify', scope: 'domainsWrite', upstream: 'link' },
  { method: 'GET', path: '/api/analytics', scope: 'analyticsRead', upstream: 'analytics' },
  { method: 'GET', path: '/api/analytics/summary', scope: 'analyticsRead', upstream: 'analytics' },
  { method: 'GET', path: '/api/analytics/live', scope: 'analyticsRead', upstream: 'analytics', stream: true },
  { method: 'POST', path: '/api/track/lead', scope: 'conversionsWrite', upstream: 'conversion' },
  { method: 'POST', path: '/api/track/sale', scope: 'conversionsWrite', upstream: 'conversion' },
  { method: 'GET', path: '/api/customers', scope: 'customersRead', upstream: 'conversion' },
  ...crud('/api/webhooks', 'webhooksRead', 'webhooksWrite', 'webhook'),
  { method: 'GET', path: '/api/webhooks/{id}', scope: 'webhooksRead', upstream: 'webhook' },
  { method: 'POST', path: '/api/webhooks/{id}/rotate-secret', scope: 'webhooksWrite', upstream: 'webhook' },
  { method: 'GET', path: '/api/webhooks/{id}/deliveries', scope: 'webhooksRead', upstream: 'webhook' },
  { method: 'POST', path: '/api/webhooks/{id}/test', scope: 'webhooksWrite', upstream: 'webhook' },
  { method: 'POST', path: '/api/webhooks/{id}/deliveries/{deliveryId}/retry', scope: 'webhooksWrite', upstream: 'webhook' },
  { method: 'GET', path: '/v1/links', scope: 'linksRead', upstream: 'link' },
  { method: 'GET', path: '/api/v1/external/links', scope: 'linksRead', upstream: 'link' },
  // the access context, answered by the gateway itself (Hop's addition)
  { method: 'GET', path: '/api/keys', scope: 'keysRead', upstream: 'gateway' },
  { method: 'POST', path: '/api/keys', scope: 'keysWrite', upstream: 'gateway' },
  { method: 'DELETE', path: '/api/keys', scope: 'keysWrite', upstream: 'gateway' },
  { method: 'GET', path: '/api/members', scope: 'membersRead', upstream: 'gateway' },
  { method: 'PUT', path: '/api/members', scope: 'membersWrite', upstream: 'gateway' },
  { method: 'DELETE', path: '/api/members', scope: 'membersWrite', upstream: 'gateway' },
  { method: 'DELETE', path: '/api/members/me', scope: 'membersRead', upstream: 'gateway' },
  { method: 'GET', path: '/api/invitations', scope: 'membersRead', upstream: 'gateway' },
  { method: 'POST', path: '/api/invitations', scope: 'membersWrite', upstream: 'gateway' },
  { method: 'DELETE', path: '/api/invitations', scope: 'membersWrite', upstream: 'gateway' },
  { method: 'GET', path: '/api/audit-log', scope: 'auditLogRead', upstream: 'gateway' },
];

const isTemplate = (path: string) => path.includes('{');
const byKey = new Map(ROUTES.filter((r) => !isTemplate(r.path)).map((r) => [`${r.method} ${r.path}`, r]));
/** Paths with parameters (OpenAPI's `{name}`): a parameter is one non-empty path segment. */
const templated = ROUTES.filter((r) => isTemplate(r.path)).map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`),
}));

/** The route for a request, matching the path exactly (one trailing slash tolerated, as express does). */
export function findRoute(method: string, path: string): ApiRoute | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const upper = method.toUpperCase();
  return byKey.get(`${upper} ${trimmed}`) ?? templated.find((t) => t.route.method === upper && t.pattern.test(trimmed))?.route;
}
