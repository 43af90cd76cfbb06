import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '@hop/errors';
import { metrics, registry, collectDefaultMetrics, type Logger } from '@hop/telemetry';
import { toHttpError } from './errors';
import { HOP_HEADERS, readContext, verifyInternalRequest, type RequestContext } from './internal-proof';

export type ReadinessCheck = () => Promise<unknown>;

export interface AppOptions {
  service: string;
  logger: Logger;
  /** Secret for the gateway's proof; /api/* and /internal/* without a valid proof are refused. */
  internalSecret?: string;
  /** Named dependency checks for /readyz (PostgreSQL, Redis, Kafka …). */
  readiness?: Record<string, ReadinessCheck>;
  /** JSON body limit; false to leave bodies unparsed (the gateway streams them to services). */
  jsonLimit?: string | false;
  /** Mounts the service's routes; called after the common middleware. */
  routes: (app: Express) => void;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express types its Request by namespace merging
  namespace Express {
    interface Request {
      requestId: string;
      /** Set for requests that passed the internal proof check. */
      context: RequestContext;
    }
  }
}

const httpDuration = metrics.histogram(
  'hop_http_request_duration_seconds',
  'HTTP request duration',
  ['service', 'method', 'route', 'status'],
  [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
);

/**
 * Gives a request its id (the caller's x-hop-request-id when sane, else a new one), echoes it on
 * the response and times the request into hop_http_request_duration_seconds under the route
 * `routeOf` names once it finished. Express apps get it as their first middleware; a bare
 * node:http hot path calls it itself.
 */
export function trackRequest(service: string, req: http.IncomingMessage, res: http.ServerResponse, routeOf: () => string): string {
  const given = req.headers[HOP_HEADERS.requestId];
  const requestId = typeof given === 'string' && given.length <= 128 ? given : randomUUID();
  res.setHeader(HOP_HEADERS.requestId, requestId);
  const end = httpDuration.startTimer({ service, method: req.method });
  res.on('finish', () => end({ route: routeOf(), status: res.statusCode }));
  return requestId;
}

/** Sends `body` as JSON with `status`, from plain node:http code (express's res.json elsewhere). */
export function sendJsonBody(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

export function sendError(res: Response, err: unknown, requestId?: string): void {
  const { status, body } = toHttpError(err, requestId);
  if (!res.headersSent) res.status(status).json(body);
}

/** Wraps a readiness check with a timeout so a hung dependency reports instead of hanging /readyz. */
async function runCheck(check: ReadinessCheck, timeoutMs = 2_000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return 'ok';
  } catch (e) {
    return `down: ${(e as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

export function createApp(options: AppOptions): Express {
  const { service, logger } = options;
  collectDefaultMetrics();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'extended');

  app.use((req: Request, res: Response, next: NextFunction) => {
    // Express leaves req.route untyped (any); the matched route's path is a string
    const routePath = () => (req.route as { path?: string } | undefined)?.path;
    req.requestId = trackRequest(service, req, res, () => routePath() ?? (res.statusCode === 404 ? 'unmatched' : req.baseUrl || 'other'));
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service });
  });
  app.get('/readyz', async (_req, res) => {
    const entries = Object.entries(options.readiness ?? {});
    const results = await Promise.all(entries.map(async ([name, check]) => [name, await runCheck(check)] as const));
    const checks = Object.fromEntries(results);
    const ready = results.every(([, r]) => r === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service, checks });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  });

  if (options.internalSecret) {
    const secret = options.internalSecret;
    app.use(['/api', '/internal'], (req: Request, _res: Response, next: NextFunction) => {
      if (!verifyInternalRequest(secret, req.method, req.originalUrl, req.headers)) {
        return next(new DomainError('INTERNAL_PROOF_MISSING'));
      }
      req.context = readContext(req.headers);
      // Public API calls always carry a workspace; internal lookups (e.g. routes by shortId) may not.
      if (req.baseUrl === '/api' && !req.context.workspaceId) return next(new DomainError('INTERNAL_PROOF_MISSING'));
      next();
    });
  }

  if (options.jsonLimit !== false) {
    app.use(express.json({ limit: options.jsonLimit ?? '1mb', type: ['application/json', 'application/*+json'] }));
  }

  options.routes(app);

  app.use((_req: Request, _res: Response, next: NextFunction) => next(new DomainError('NOT_FOUND')));

  // express recognises error handlers by their four parameters
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const mapped = bodyParserError(err) ?? err;
    if (!(mapped instanceof DomainError)) logger.error({ err, requestId: req.requestId, url: req.originalUrl }, 'unhandled error');
    sendError(res, mapped, req.requestId);
  });
  return app;
}

/**
 * The domain error of a body-parser failure (they carry a `type` and a 4xx `status`), or null for
 * anything else: a body the service cannot read is the client's mistake, never a 500.
 */
function bodyParserError(err: unknown): DomainError | null {
  if (typeof err !== 'object' || err === null || !('type' in err) || typeof err.type !== 'string') return null;
  const status = 'status' in err ? Number(err.status) : 0;
  if (!(status >= 400 && status < 500)) return null;
  if (err.type === 'entity.too.large') return new DomainError('PAYLOAD_TOO_LARGE');
  if (err.type === 'charset.unsupported') {
    const charset = 'charset' in err && typeof err.charset === 'string' ? err.charset.slice(0, 40) : '';
    return new DomainError('UNSUPPORTED_CHARSET', { params: { charset } });
  }
  return new DomainError('INVALID_REQUEST_FORMAT');
}

/** Sends a list as a plain JSON array with its total in X-Total-Count (Hop's addition to Hoko). */
export function sendList(res: Response, items: unknown[], total: number, status = 200): void {
  res.setHeader('X-Total-Count', String(total));
  res.status(status).json(items);
}
