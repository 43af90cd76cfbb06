import type http from 'node:http';
import { DomainError } from '@hop/errors';
import { trackRequest } from '@hop/http';
import { metrics, type Logger } from '@hop/telemetry';
import { admitRequest, type AdmitDeps } from '../app/admit-request';
import type { KeyUseRecorder } from '../app/ports';
import { admitSession, type SessionAdmitDeps } from '../app/admit-session';
import { readCredential } from '../domain/api-key';
import type { Principal } from '../domain/principal';
import type { RateLimitDecision } from '../domain/rate-limit';
import { apiFamilyOf, findRoute, pathOf, type ApiFamily } from '../domain/routes';
import { missingScopes } from '../domain/scopes';
import { sendShapedError } from './error-shapes';
import type { LocalRoute } from './access-api';
import type { ClientAddress } from './client-address';
import type { Forward } from './proxy';
import { readSessionCookie } from './session-cookie';

const authFailures = metrics.counter('hop_gateway_auth_failures_total', 'Requests refused with 401, by reason', ['reason']);
const rateLimited = metrics.counter('hop_gateway_rate_limited_total', 'Requests refused with 429', ['cause']);

export interface PipelineDeps extends AdmitDeps {
  lastUsed: KeyUseRecorder;
  forward: Forward;
  /** The routes the gateway answers itself (access context). */
  local: LocalRoute;
  /** Sessions (cookie) as principals: a browser's calls for the workspace X-Hop-Workspace names. */
  sessions: Omit<SessionAdmitDeps, 'gate' | 'onRedisFailure'> & {
    /** False when the request carries an Origin header of another site. */
    originAllowed: (req: http.IncomingMessage) => boolean;
  };
  bodyLimitBytes: number;
  /** Failed authentications an address may make per minute (X-RateLimit-Limit of their throttle). */
  authFailuresPerMinute: number;
  clientAddress: ClientAddress;
  service: string;
  logger: Logger;
}

function setRateLimitHeaders(res: http.ServerResponse, d: Pick<RateLimitDecision, 'limit' | 'remaining' | 'resetAt'>): void {
  res.setHeader('X-RateLimit-Limit', String(d.limit));
  res.setHeader('X-RateLimit-Remaining', String(d.remaining));
  res.setHeader('X-RateLimit-Reset', String(d.resetAt));
}

/** One value of a request header (node joins repeated custom headers; set-cookie aside, never an array). */
function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function rateLimitError(retryAfter: number) {
  return new DomainError('RATE_LIMITED', { extra: { retryAfter } });
}

/**
 * The public API's request pipeline, on bare node:http in front of express (which costs about as
 * much CPU as the proxying itself): authenticate the key (failing attempts throttled per
 * client address), apply the workspace's rate limit, find the route (404), check its scope (403)
 * and the body size (413), then stream the request to the owning service. Every response after
 * a successful authentication carries the X-RateLimit-* headers. Returns false for paths outside
 * the public APIs (admin, docs, health), which express serves.
 */
export function apiPipeline(deps: PipelineDeps): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  /** The principal and its rate-limit decision, or null once a 401/429 has been sent. */
  async function admit(req: http.IncomingMessage, res: http.ServerResponse, family: ApiFamily): Promise<{ principal: Principal; decision: RateLimitDecision } | null> {
    const credential = readCredential(req.headers.authorization, family);
    // no credential at all is not a guess: refused without counting
    const admission =
      'problem' in credential && credential.problem === 'missing'
        ? ({ problem: 'missing' } as const)
        : await admitRequest(deps, deps.clientAddress(req), 'key' in credential ? credential.key : null);
    if ('principal' in admission) return admission;
    if ('blockedFor' in admission) {
      rateLimited.inc({ cause: 'auth-failures' });
      // The headers of the address's failure throttle (a valid key would have been admitted).
      setRateLimitHeaders(res, {
        limit: deps.authFailuresPerMinute,
        remaining: 0,
        resetAt: Math.ceil(Date.now() / 1000) + admission.blockedFor,
      });
      res.setHeader('Retry-After', String(admission.blockedFor));
      sendShapedError(res, family, rateLimitError(admission.blockedFor));
      return null;
    }
    authFailures.inc({ reason: admission.problem });
    sendShapedError(res, family, new DomainError('INVALID_API_KEY'));
    return null;
  }

  /** A request authenticated by the session cookie (Hoko's API only); null once its refusal has been sent. */
  async function admitBySession(req: http.IncomingMessage, res: http.ServerResponse, token: string) {
    try {
      return await admitSession(
        { ...deps.sessions, gate: deps.gate, onRedisFailure: deps.onRedisFailure },
        {
          token,
          method: req.method ?? 'GET',
          workspace: headerOf(req, 'x-hop-workspace'),
          csrfToken: headerOf(req, 'x-csrf-token'),
          originAllowed: deps.sessions.originAllowed(req),
        },
      );
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      sendShapedError(res, 'hoko', err);
      return null;
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, path: string, family: ApiFamily, requestId: string): Promise<void> {
    const route = findRoute(req.method ?? 'GET', path);
    // a key, when given, is the credential; otherwise a browser's session cookie may be (Hop's own API only)
    const sessionToken = req.headers.authorization === undefined && family === 'hoko' ? readSessionCookie(req.headers.cookie) : null;
    // an unknown path without credentials is simply not found; with credentials it is counted like any call
    if (!route && req.headers.authorization === undefined && !sessionToken) return sendShapedError(res, family, new DomainError('NOT_FOUND'));

    const admitted = sessionToken ? await admitBySession(req, res, sessionToken) : await admit(req, res, family);
    if (!admitted) return;
    const { principal, decision } = admitted;
    setRateLimitHeaders(res, decision);
    if (!decision.allowed) {
      rateLimited.inc({ cause: 'workspace' });
      res.setHeader('Retry-After', String(decision.retryAfter));
      return sendShapedError(res, family, rateLimitError(decision.retryAfter));
    }
    if (principal.keyId) deps.lastUsed.record(principal.keyId);

    if (!route) return sendShapedError(res, family, new DomainError('NOT_FOUND'));
    const missing = missingScopes([route.scope], principal.scopes);
    if (missing.length) {
      return sendShapedError(res, family, new DomainError('MISSING_SCOPES', { extra: { missingScopes: missing } }));
    }
    const declaredLength = Number(req.headers['content-length'] ?? 0);
    if (declaredLength > deps.bodyLimitBytes) {
      res.setHeader('Connection', 'close');
      return sendShapedError(res, family, new DomainError('PAYLOAD_TOO_LARGE'));
    }
    if (route.upstream === 'gateway') return deps.local(req, res, route, principal, deps.clientAddress(req));
    deps.forward(req, res, route.upstream, principal, requestId, route.stream === true);
  }

  return (req, res) => {
    const path = pathOf(req.url);
    const family = apiFamilyOf(path);
    if (!family) return false;
    const requestId = trackRequest(deps.service, req, res, () => family);
    handle(req, res, path, family, requestId).catch((err: unknown) => {
      deps.logger.error({ err, url: req.url, requestId }, 'gateway pipeline failed');
      if (!res.headersSent) sendShapedError(res, family, new DomainError('UPSTREAM_UNAVAILABLE'));
    });
    return true;
  };
}
