import http from 'node:http';
import { createProxyMiddleware, type RequestHandler } from 'http-proxy-middleware';
import { DomainError } from '@hop/errors';
import type { Logger } from '@hop/telemetry';
import { sendShapedError } from './error-shapes';

const isConsolePath = (path: string) => path === '/app' || path.startsWith('/app/');

/**
 * /app and /app/*: the console's pages and assets, streamed from the console service without
 * authentication (the pages hold no data; their /api calls carry the session). Credentials never
 * reach the console: the Cookie and Authorization headers are dropped.
 */
export function consoleProxy(target: string, logger: Logger): RequestHandler {
  return createProxyMiddleware<http.IncomingMessage, http.ServerResponse>({
    target,
    pathFilter: (path) => isConsolePath(path),
    agent: new http.Agent({ keepAlive: true }),
    on: {
      proxyReq: (proxyReq) => {
        proxyReq.removeHeader('cookie');
        proxyReq.removeHeader('authorization');
      },
      error: (err, req, res) => {
        if (!('headersSent' in res)) return;
        logger.warn({ err, url: req.url }, 'console upstream failed');
        if (res.headersSent) res.destroy();
        else sendShapedError(res, 'hoko', new DomainError('UPSTREAM_UNAVAILABLE'));
      },
    },
  });
}
