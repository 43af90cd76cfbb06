import type http from 'node:http';
import { nanoid } from 'nanoid';
import { metrics } from '@hop/telemetry';
import type { Geo, LinkOutcome, LinkVisit, ServeLink } from '../app/serve-link';
import {
  badRequestPage,
  cloakPage,
  expiredPage,
  hideReferrerPage,
  notFoundPage,
  passwordPage,
  pausedPage,
  previewPage,
} from '../domain/pages';
import { routeIdOf } from '../domain/route';
import { BodyTooLarge, clientIp, cookie, header, readBody, sendHtml } from './request';
import type { Site } from './router';

const duration = metrics.histogram(
  'hop_redirector_request_duration_seconds',
  'Time to answer a short-link request, by outcome',
  ['outcome'],
  [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
);
// Children resolved once: labelled observe() hashes its labels on every call.
const durationOf = new Map<string, ReturnType<typeof duration.labels>>();
const observe = (outcome: string, startedAt: bigint) => {
  let child = durationOf.get(outcome);
  if (!child) durationOf.set(outcome, (child = duration.labels(outcome)));
  child.observe(Number(process.hrtime.bigint() - startedAt) / 1e9);
};

/** A visitor cookie lives two years; SameSite=Lax keeps it on top-level navigations from other sites. */
const VISITOR_MAX_AGE_S = 2 * 365 * 24 * 3600;
const VISITOR_ID = /^[\w-]{1,64}$/;

export interface LinkHandlerOptions {
  serveLink: ServeLink;
  geoOf: (req: http.IncomingMessage, ip: string | null) => Geo;
  shortBaseUrl: string;
  /** Scheme of branded domains' short URLs. */
  domainScheme: 'http' | 'https';
  clientIpHeader: string;
  visitorCookie: string;
  passwordBodyLimit: number;
}

/** GET/HEAD /:shortId (the redirect) and POST /:shortId (the password form). */
export function createLinkHandler(options: LinkHandlerOptions) {
  const secureCookie = options.shortBaseUrl.startsWith('https:') ? '; Secure' : '';

  /** `site`: the branded domain the request came to (absent: the default domain). */
  return async function handleLink(req: http.IncomingMessage, res: http.ServerResponse, shortId: string, search: string, site?: Site): Promise<void> {
    const startedAt = process.hrtime.bigint();
    const method = req.method as LinkVisit['method'];
    let password: string | undefined;
    if (method === 'POST') {
      const form = await readForm(req, options.passwordBodyLimit).catch((err: Error) => err);
      if (form instanceof Error) {
        const tooLarge = form instanceof BodyTooLarge;
        sendHtml(res, tooLarge ? 413 : 400, badRequestPage(tooLarge ? 'The form is too large.' : 'The form could not be read.'));
        return observe('bad-request', startedAt);
      }
      password = form.get('password') ?? '';
    }
    const ip = clientIp(req, options.clientIpHeader);
    const known = cookie(req, options.visitorCookie);
    // A cookie we did not issue (wrong shape) is replaced.
    const newVisitor = !known || !VISITOR_ID.test(known);
    const visitorId = newVisitor ? nanoid() : known;
    const outcome = await options.serveLink({
      shortId: site ? routeIdOf(site.name, shortId) : shortId,
      method,
      query: search ? new URLSearchParams(search) : null,
      userAgent: header(req, 'user-agent') ?? '',
      referrer: header(req, 'referer') ?? null,
      ip,
      geo: () => options.geoOf(req, ip),
      visitorId,
      password,
      siteWorkspaceId: site?.workspaceId,
    });
    const headers: http.OutgoingHttpHeaders = {};
    if (newVisitor && counted(outcome)) {
      headers['set-cookie'] = `${options.visitorCookie}=${visitorId}; Max-Age=${VISITOR_MAX_AGE_S}; Path=/; HttpOnly; SameSite=Lax${secureCookie}`;
    }
    const path = `/${encodeURIComponent(shortId)}`;
    const base = site ? `${options.domainScheme}://${site.name}` : options.shortBaseUrl;
    if (outcome.kind === 'not-found' && site?.notFoundUrl) {
      res.writeHead(302, { location: site.notFoundUrl, 'cache-control': 'no-store' }).end();
      return observe('not-found', startedAt);
    }
    respond(res, outcome, headers, { shortUrl: base + path, formAction: search ? `${path}?${search}` : path });
    observe(outcome.kind, startedAt);
  };
}

const counted = (o: LinkOutcome) => o.kind === 'redirect' || o.kind === 'cloak' || o.kind === 'hide-referrer';

async function readForm(req: http.IncomingMessage, limit: number): Promise<URLSearchParams> {
  const type = header(req, 'content-type')?.split(';')[0].trim().toLowerCase();
  if (type && type !== 'application/x-www-form-urlencoded') throw new Error('unsupported form encoding');
  return new URLSearchParams(await readBody(req, limit));
}

interface Urls {
  shortUrl: string;
  /** Where the password form posts: this short link with the visitor's query kept. */
  formAction: string;
}

function respond(res: http.ServerResponse, outcome: LinkOutcome, headers: http.OutgoingHttpHeaders, urls: Urls): void {
  switch (outcome.kind) {
    case 'not-found':
      return sendHtml(res, 404, notFoundPage());
    case 'paused':
      return sendHtml(res, 404, pausedPage());
    case 'gone':
      return sendHtml(res, 410, expiredPage());
    case 'expired-redirect':
      res.writeHead(302, { location: outcome.location, 'cache-control': 'no-store' }).end();
      return;
    case 'preview':
      return sendHtml(res, 200, previewPage(outcome.preview, urls.shortUrl));
    case 'password':
      return sendHtml(res, outcome.problem === 'locked' ? 429 : outcome.problem === 'wrong' ? 401 : 200, passwordPage(urls.formAction, outcome.problem), {
        ...(outcome.retryAfterS ? { 'retry-after': String(outcome.retryAfterS) } : {}),
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      });
    case 'cloak':
      return sendHtml(res, 200, cloakPage(outcome.location, outcome.route.title || outcome.route.socialTitle || new URL(outcome.location).hostname), {
        ...headers,
        ...(outcome.route.hideReferrer ? { 'referrer-policy': 'no-referrer' } : {}),
      });
    case 'hide-referrer':
      return sendHtml(res, 200, hideReferrerPage(outcome.location), { ...headers, 'referrer-policy': 'no-referrer' });
    case 'redirect':
      res.writeHead(outcome.status, {
        location: outcome.location,
        // Every answer carries its own hoko_id: no shared cache may keep one, and a 302 is never cached.
        'cache-control': outcome.status === 301 ? 'private, max-age=3600' : 'no-store, max-age=0',
        ...headers,
      });
      res.end();
  }
}
