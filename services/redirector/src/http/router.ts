import type http from 'node:http';
import { DomainError } from '@hop/errors';
import { toHttpError } from '@hop/http';
import { registry, type Logger } from '@hop/telemetry';
import type { HostClassifier } from '../domain/host';
import { domainRootPage, notFoundPage, unavailablePage } from '../domain/pages';
import type { DomainRecord } from '../domain/route';
import type { DomainLookup, Handler } from './handler-types';
import { sendHtml, sendJson } from './request';

/** A branded domain a request came to (absent: the default domain). */
export type Site = DomainRecord;

export interface RouterOptions {
  handleLink: (req: http.IncomingMessage, res: http.ServerResponse, shortId: string, search: string, site?: Site) => Promise<void>;
  /** The branded domain a Host names (null: the default domain) and the verified ones. */
  domainOf: HostClassifier;
  domains: DomainLookup;
  attribution: { qrcode: Handler; analyticsJs: Handler; embedScript: Handler };
  /** Component checks for /readyz: ready when the redirector can resolve routes. */
  readiness: () => Promise<{ ready: boolean; checks: Record<string, unknown> }>;
  logger: Logger;
}

const TLS_ASK = '/.well-known/hop-tls-ask';

/** Short ids as the link service accepts them (its /internal/routes/:shortId answers 400 to others). */
const SHORT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The redirector's routes on a bare node:http listener:
 *   GET /healthz, /readyz, /metrics
 *   GET /qrcode, GET /analytics.js, GET|POST /:shortId/analytics.js   (attribution, issue 9)
 *   GET /.well-known/hop-tls-ask?domain=   (Caddy's on-demand TLS check: 200 when served, 404 otherwise)
 *   GET|HEAD /:shortId (redirect), POST /:shortId (password form)
 * On a branded domain (by Host): `/` → its rootRedirectUrl (else a small page), `/:key` → its
 * link (unknown: its notFoundUrl, else the 404 page), `/:key/analytics.js` → that link's embedded
 * script and its capture; an unknown or unverified host → 404 page.
 * Anything else is a small 404 page; no error ever shows internals.
 */
export function createRouter(options: RouterOptions): http.RequestListener {
  const { attribution, logger } = options;

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? '' : url.slice(q + 1);
    const method = req.method ?? 'GET';
    const read = method === 'GET' || method === 'HEAD';

    switch (path) {
      case '/healthz':
        return sendJson(res, 200, { status: 'ok' });
      case '/readyz': {
        const { ready, checks } = await options.readiness();
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
      }
      case '/metrics':
        res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
        return;
      case '/qrcode':
        return read ? attribution.qrcode(req, res) : methodNotAllowed(res, 'GET, HEAD');
      case '/analytics.js':
        return read ? attribution.analyticsJs(req, res) : methodNotAllowed(res, 'GET, HEAD');
      case TLS_ASK:
        return tlsAsk(res, search);
    }

    const branded = options.domainOf(req.headers.host);
    if (branded !== null) return routeBranded(req, res, branded, path, search, read || method === 'POST');

    const segments = path.slice(1).split('/');
    const shortId = segments[0];
    if (!SHORT_ID.test(shortId) || segments.length > 2 || (segments.length === 2 && segments[1] !== 'analytics.js')) {
      return sendHtml(res, 404, notFoundPage());
    }
    if (segments.length === 2) {
      return read || method === 'POST' ? attribution.embedScript(req, res, shortId) : methodNotAllowed(res, 'GET, HEAD, POST');
    }
    if (read || method === 'POST') return options.handleLink(req, res, shortId, search);
    return methodNotAllowed(res, 'GET, HEAD, POST');
  }

  async function routeBranded(req: http.IncomingMessage, res: http.ServerResponse, name: string, path: string, search: string, allowed: boolean) {
    const site = name ? await options.domains.get(name) : null;
    if (!site) return sendHtml(res, 404, notFoundPage());
    if (!allowed) return methodNotAllowed(res, 'GET, HEAD, POST');
    if (path === '/') {
      if (site.rootRedirectUrl) return void res.writeHead(302, { location: site.rootRedirectUrl, 'cache-control': 'no-store' }).end();
      return sendHtml(res, 200, domainRootPage(site.name));
    }
    const [key, rest, extra] = path.slice(1).split('/');
    if (!SHORT_ID.test(key) || extra !== undefined || (rest !== undefined && rest !== 'analytics.js')) return sendHtml(res, 404, notFoundPage());
    if (rest !== undefined) return attribution.embedScript(req, res, key, site);
    return options.handleLink(req, res, key, search, site);
  }

  /** Caddy asks before getting a certificate for a host: only the default host and verified domains get one. */
  async function tlsAsk(res: http.ServerResponse, search: string) {
    const asked = new URLSearchParams(search).get('domain') ?? '';
    const name = options.domainOf(asked);
    const served = asked !== '' && (name === null || (name !== '' && (await options.domains.get(name)) !== null));
    res.writeHead(served ? 200 : 404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(served ? 'ok' : 'not served');
  }

  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      const unavailable = err instanceof DomainError && err.code === 'UPSTREAM_UNAVAILABLE';
      if (!unavailable) logger.error({ err, url: req.url }, 'redirector request failed');
      if (res.headersSent) return void res.destroy();
      sendHtml(res, 503, unavailablePage(), { 'retry-after': '5' });
    });
  };
}

function methodNotAllowed(res: http.ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  const { status, body } = toHttpError(new DomainError('METHOD_NOT_ALLOWED'));
  sendJson(res, status, body);
}
