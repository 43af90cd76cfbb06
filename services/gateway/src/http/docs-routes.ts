import path from 'node:path';
import express, { type Express } from 'express';
import { loadOpenApiDocument as loadDocumentFrom } from '@hop/http';

/** services/gateway/openapi, the same relative place from src/http and dist/http. */
export const OPENAPI_DIR = path.resolve(__dirname, '..', '..', 'openapi');

/** The document the gateway serves: openapi/openapi.json plus openapi/parts/*.json. */
export const loadOpenApiDocument = () => loadDocumentFrom(OPENAPI_DIR);

/** GET /openapi.json and the /docs page that renders it, with its assets served from here (no CDN). */
export function docsRoutes(app: Express): void {
  const document = JSON.stringify(loadOpenApiDocument());
  app.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(document);
  });
  app.use(
    '/docs',
    (_req, res, next) => {
      res.setHeader('Content-Security-Policy', "default-src 'self'; style-src 'self'; script-src 'self'");
      next();
    },
    express.static(path.join(OPENAPI_DIR, 'docs'), { index: 'index.html' }),
  );
}
