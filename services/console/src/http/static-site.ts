import { access } from 'node:fs/promises';
import path from 'node:path';
import express, { type RequestHandler, type Response, type Router } from 'express';

/**
 * Scripts and styles only from the console itself (no CDN); inline style attributes are allowed
 * because the chart library positions its tooltips with them. Images may come from any http(s)
 * origin: a link's QR code is rendered by the redirector on its short domain (the deployment's or
 * any branded domain of a workspace), which the console cannot list in advance; images run no code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: http: https:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Encodings scripts/build-web.js writes beside each asset, best first. */
const PRECOMPRESSED = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

/**
 * Serves `x.js.br` (or `.gz`) for `x.js` when the browser accepts it and the build wrote it:
 * compressed once at build time, so no CPU per request. Only the URL is rewritten here;
 * express.static still resolves it safely inside the directory.
 */
function precompressed(dir: string): RequestHandler {
  return (req, res, next) => {
    res.vary('Accept-Encoding');
    const accepted = String(req.headers['accept-encoding'] ?? '');
    const choices = PRECOMPRESSED.filter((c) => new RegExp(`\\b${c.encoding}\\b`).test(accepted));
    const relative = path.normalize(decodeURIComponent(req.path));
    if (choices.length === 0 || relative.includes('..')) return next();
    void (async () => {
      for (const choice of choices) {
        const exists = await access(path.join(dir, relative + choice.suffix)).then(() => true, () => false);
        if (!exists) continue;
        res.locals.encoding = choice;
        res.locals.contentType = path.extname(relative);
        req.url = `${req.path}${choice.suffix}`;
        break;
      }
      next();
    })();
  };
}

/** Headers of a precompressed file: its encoding, and the type of the file it stands for. */
function encodedHeaders(res: Response): void {
  const encoding = res.locals.encoding as (typeof PRECOMPRESSED)[number] | undefined;
  if (!encoding) return;
  res.setHeader('Content-Encoding', encoding.encoding);
  res.type(res.locals.contentType as string);
}

/** The console under /app: hashed assets (precompressed) cached for a year, every other path answered by index.html (client-side routes). */
export function consoleSite(staticDir: string): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  const assets = path.join(staticDir, 'assets');
  router.use(
    '/assets',
    precompressed(assets),
    express.static(assets, { immutable: true, maxAge: '365d', index: false, fallthrough: false, setHeaders: (res) => encodedHeaders(res) }),
  );
  router.use(express.static(staticDir, { index: false, redirect: false, maxAge: 0 }));
  router.get(/.*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(staticDir, 'index.html'));
  });
  return router;
}

/** Ready once the Vite build is there to serve. */
export const staticDirReadiness = (staticDir: string) => () => access(path.join(staticDir, 'index.html'));
