import type http from 'node:http';
import { requestUtm } from '../app/click-recorder';
import { routeIdOf, type DomainRecord, type Route } from '../domain/route';
import { isBot } from '../domain/visitor';
import type { AttributionDeps, Handler } from '../http/handler-types';
import { clientIp } from '../http/request';
import { NOOP_SCRIPT, TOKEN_CHARS, embedScript } from './browser-scripts';
import { issueCaptureToken, verifyCaptureToken } from './capture-token';
import { hostMatchesDestination, httpHostname, requestingPageHost } from './page-host';
import { requestQuery, sendError } from './responses';

const MAX_URL_LENGTH = 4096;
type Cors = Record<string, string>;
const SCRIPT_HEADERS = {
  'content-type': 'application/javascript; charset=utf-8',
  // Every script carries a fresh single-use token.
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/**
 * A link counts clicks only while it is active and not expired, as on the redirect path; on a
 * branded domain, only the links of the domain's workspace (as on the redirect path).
 */
const isTrackable = (route: Route, site: DomainRecord | undefined, now = Date.now()) =>
  route.active && !(route.expiresAt && Date.parse(route.expiresAt) <= now) && (!site || route.workspaceId === site.workspaceId);

/**
 * UTM and referral parameters of the script URL, keyed as on redirect clicks (source … referral);
 * `referral` is the documented alternative to `ref`.
 */
export function attributionOf(query: URLSearchParams): Record<string, string> {
  const utm = { ...requestUtm(query) };
  const referral = query.get('referral');
  if (!utm.referral && referral) utm.referral = referral;
  return utm;
}

/**
 * GET /:shortId/analytics.js serves the embedded click script (with a signed capture token) to pages
 * on the link destination's hostname; the script's capture request (same URL + ?capture=…) records
 * the click once its token, host and page URL check out. On a branded domain (`site`) the same
 * path serves the domain's link with that key, and the script posts its capture to that domain: the
 * capture token names the route (domain and key), so it is good on that host only.
 */
export function embedHandler(deps: AttributionDeps): Handler {
  const { config, routes, redis, logger, geoOf } = deps;
  // Built on the first capture: without a trusted header it loads the offline GeoIP database.

  const serveScript = async (req: http.IncomingMessage, res: http.ServerResponse, shortId: string, query: URLSearchParams, site: DomainRecord | undefined) => {
    const noop = (reason: string) => {
      logger.debug({ shortId, reason }, 'embedded script disabled');
      res.writeHead(200, SCRIPT_HEADERS).end(NOOP_SCRIPT);
    };
    if (!TOKEN_CHARS.test(shortId)) return noop('malformed short id');
    const pageHost = requestingPageHost(req);
    if (!pageHost) return noop('no Origin or Referer');
    const routeId = routeIdOf(site?.name ?? null, shortId);
    const route = await routes.get(routeId);
    if (!route || !isTrackable(route, site)) return noop('unknown or inactive link');
    if (!hostMatchesDestination(pageHost, route.url)) return noop(`page host ${pageHost} is not the destination's`);
    const { token } = issueCaptureToken(config.captureSecret, { shortId: routeId, host: pageHost, attribution: attributionOf(query) });
    const search = query.toString();
    const base = site ? `${config.domainUrlScheme}://${site.name}` : config.shortBaseUrl;
    const scriptUrl = `${base}/${shortId}/analytics.js${search ? `?${search}` : ''}`;
    res.writeHead(200, SCRIPT_HEADERS).end(embedScript(token, scriptUrl));
  };

  const capture = async (req: http.IncomingMessage, res: http.ServerResponse, shortId: string, site: DomainRecord | undefined, query: URLSearchParams, cors: Cors) => {
    const refuse = (path: string, message: string) =>
      sendError(res, 'INVALID_REQUEST', { details: [{ path, field: path, message }], headers: cors });

    const checked = verifyCaptureToken(config.captureSecret, query.get('capture') ?? '');
    if (!checked.ok) return refuse('capture', `capture token ${checked.reason === 'expired' ? 'has expired' : 'is invalid'}`);
    const { claims } = checked;
    const routeId = routeIdOf(site?.name ?? null, shortId);
    if (claims.shortId !== routeId) return refuse('capture', 'capture token was issued for another link');
    if (requestingPageHost(req) !== claims.host) return refuse('origin', 'capture must come from the page the script was served to');
    const pageUrl = query.get('url') ?? '';
    if (pageUrl.length > MAX_URL_LENGTH || httpHostname(pageUrl) !== claims.host) return refuse('url', 'url must be the http(s) URL of the page the script was served to');
    const session = query.get('vs');
    if (!session || !TOKEN_CHARS.test(session)) return refuse('vs', 'vs must be a visitor session id (1-64 of A-Z a-z 0-9 _ -)');
    const route = await routes.get(routeId);
    // The destination may have changed since the script was served: validate the host again.
    if (!route || !isTrackable(route, site) || !hostMatchesDestination(claims.host, route.url)) return refuse('capture', 'link is not tracked on this page');

    const ttl = Math.max(1, claims.expiresAt - Math.floor(Date.now() / 1000)) + 60;
    const firstUse = await redis.set(`capture:${claims.nonce}`, routeId, 'EX', ttl, 'NX');
    if (firstUse === null) {
      return sendError(res, 'CONFLICT', { params: { reason: { en: 'capture token already used', ar: 'رمز الالتقاط مستخدم بالفعل' } }, headers: cors });
    }

    const pageReferrer = query.get('referrer');
    const userAgent = req.headers['user-agent'] ?? null;
    const ip = clientIp(req, config.clientIpHeader);
    const geo = geoOf(req, ip);
    const click = deps.clicks.record({
      route,
      destination: pageUrl,
      trigger: 'embed',
      qr: false,
      bot: isBot(userAgent ?? ''),
      referrer: pageReferrer && pageReferrer.length <= MAX_URL_LENGTH && httpHostname(pageReferrer) ? pageReferrer : null,
      userAgent,
      ip,
      country: geo.country,
      city: geo.city,
      visitorId: null,
      visitorSessionId: session,
      requestUtm: Object.keys(claims.attribution).length ? claims.attribution : null,
    });
    res
      .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...cors })
      .end(JSON.stringify({ clickId: click.clickId }));
  };

  return async (req, res, shortId, site) => {
    const query = requestQuery(req);
    if (shortId === undefined) return sendError(res, 'NOT_FOUND');
    if (req.method !== 'POST' && !query.has('capture')) {
      return serveScript(req, res, shortId, query, site).catch((err: unknown) => {
        // The route could not be resolved (Redis and the link service down): the page still gets a script.
        if (res.headersSent) throw err;
        logger.warn({ err: (err as Error).message, shortId }, 'embedded script served without tracking');
        res.writeHead(503, { ...SCRIPT_HEADERS, 'retry-after': '5' }).end(NOOP_SCRIPT);
      });
    }
    // No credentials are involved, so any page may read the answer; the token is what authorises.
    const cors: Cors = req.headers.origin ? { 'access-control-allow-origin': req.headers.origin, vary: 'Origin' } : {};
    try {
      await capture(req, res, shortId, site, query, cors);
    } catch (err) {
      // Route lookup or the replay guard (Redis) failed: without them no click can be verified.
      if (res.headersSent) throw err;
      logger.warn({ err: (err as Error).message, shortId }, 'embedded click capture failed');
      sendError(res, 'UPSTREAM_UNAVAILABLE', { headers: { ...cors, 'retry-after': '5' } });
    }
  };
}
