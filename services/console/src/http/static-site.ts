import { access } from 'node:fs/promises';
import path from 'node:path';
import express, { type Router } from 'express';

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

/** The console under /app: hashed assets cached for a year, every other path answered by index.html (client-side routes). */
export function consoleSite(staticDir: string): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  router.use('/assets', express.static(path.join(staticDir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  router.use(express.static(staticDir, { index: false, redirect: false, maxAge: 0 }));
  router.get(/.*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(staticDir, 'index.html'));
  });
  return router;
}

/** Ready once the Vite build is there to serve. */
export const staticDirReadiness = (staticDir: string) => () => access(path.join(staticDir, 'index.html'));
