import http from 'node:http';
import https from 'node:https';
import { createProxyMiddleware, debugProxyErrorsPlugin, proxyEventsPlugin, type RequestHandler } from 'http-proxy-middleware';
import { DomainError } from '@hop/errors';
import { contextHeaders, signInternalRequest } from '@hop/http';
import { metrics, type Logger } from '@hop/telemetry';
import type { Principal } from '../domain/principal';
import { apiFamilyOf, pathOf, UPSTREAMS, type Upstream } from '../domain/routes';
import { sendShapedError } from './error-shapes';

const upstreamErrors = metrics.counter('hop_gateway_upstream_errors_total', 'Proxied requests that failed upstream (down, timeout)', [
  'upstream',
  'code',
]);

export interface ProxyOptions {
  upstreams: Record<Upstream, string>;
  internalSecret: string;
  timeoutMs: number;
  bodyLimitBytes: number;
  logger: Logger;
}

type Req = http.IncomingMessage;
type Res = http.ServerResponse;

/** `stream`: a long-lived response (server-sent events), never cut by the upstream timeout. */
export type Forward = (req: Req, res: Res, upstream: Upstream, principal: Principal, requestId: string, stream?: boolean) => void;

const familyOf = (req: Req) => apiFamilyOf(pathOf(req.url)) ?? 'hoko';

/**
 * Streams requests to the owning services (bodies are never parsed here). Client-sent x-hop-*
 * headers and the API key are dropped; the context headers and the HMAC proof over method,
 * original URL and context are added. Paths are forwarded unchanged, as the proof covers them.
 */
export function createForwarder(options: ProxyOptions): Forward {
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 1_024 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 1_024 }),
  };
  const tooLarge = new WeakSet<Req>();

  // http-proxy pipes each chunk as it arrives (nothing is buffered); a stream only needs no timeout
  const proxyTo = (upstream: Upstream, timeoutMs: number | undefined): RequestHandler<Req, Res> =>
    createProxyMiddleware<Req, Res>({
      target: options.upstreams[upstream],
      agent: options.upstreams[upstream].startsWith('https:') ? agents.https : agents.http,
      proxyTimeout: timeoutMs,
      ejectPlugins: true,
      plugins: [debugProxyErrorsPlugin, proxyEventsPlugin],
      on: {
        // emitted synchronously right before the body is piped upstream, so no chunk is missed
        start: (req, res) => countBody(req, res),
        error: (err, req, res) => {
          // a socket instead of a response only for upgrades, which the gateway does not proxy
          if (tooLarge.has(req) || !('headersSent' in res)) return;
          const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
          upstreamErrors.inc({ upstream, code });
          options.logger.warn({ err, upstream, url: req.url }, 'upstream request failed');
          if (res.headersSent) res.destroy();
          else sendShapedError(res, familyOf(req), new DomainError('UPSTREAM_UNAVAILABLE'));
        },
      },
    });

  /** Bodies are also counted as they stream: a chunked body has no Content-Length to check beforehand. */
  function countBody(req: Req, res: Res): void {
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= options.bodyLimitBytes || tooLarge.has(req)) return;
      tooLarge.add(req);
      if (res.headersSent) return void res.destroy();
      // closing the connection aborts the upstream request and stops reading the rest of the body
      res.setHeader('Connection', 'close');
      sendShapedError(res, familyOf(req), new DomainError('PAYLOAD_TOO_LARGE'));
    });
  }

  const proxies = Object.fromEntries(UPSTREAMS.map((u) => [u, proxyTo(u, options.timeoutMs)])) as Record<Upstream, RequestHandler<Req, Res>>;
  const streams = Object.fromEntries(UPSTREAMS.map((u) => [u, proxyTo(u, undefined)])) as Record<Upstream, RequestHandler<Req, Res>>;

  return (req, res, upstream, principal, requestId, stream = false) => {
    const headers = req.headers;
    for (const name of Object.keys(headers)) {
      // the session cookie is a credential too: it never leaves the gateway
      if (name.startsWith('x-hop-') || name === 'authorization' || name === 'cookie') delete headers[name];
    }
    // node already answered "100 Continue" to the client; forwarding Expect would make the upstream do it again
    delete headers.expect;
    const context = contextHeaders({
      workspaceId: principal.workspaceId,
      plan: principal.plan,
      features: [...principal.limits.features],
      bulkLimit: principal.limits.bulkLimit,
      linkQuota: principal.limits.linkQuota,
      scopes: principal.scopes,
      keyId: principal.keyId ?? undefined,
      requestId,
    });
    Object.assign(headers, context, signInternalRequest(options.internalSecret, req.method ?? 'GET', req.url ?? '/', context));
    // there is no next handler: the route table already chose this upstream
    void (stream ? streams : proxies)[upstream](req, res, () => sendShapedError(res, familyOf(req), new DomainError('NOT_FOUND')));
  };
}
