import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';

/** services/gateway/openapi, the same relative place from src/http and dist/http. */
export const OPENAPI_DIR = path.resolve(__dirname, '..', '..', 'openapi');

const readJson = (file: string): Record<string, any> => JSON.parse(readFileSync(file, 'utf8'));

/** Adds every entry of `part` to `into`, refusing a name both define (two parts must not silently disagree). */
function mergeSection(into: Record<string, any>, part: Record<string, any>, where: string): void {
  for (const [name, value] of Object.entries(part)) {
    if (name in into) throw new Error(`OpenAPI: ${where}/${name} is defined twice`);
    into[name] = value;
  }
}

/**
 * The document: openapi/openapi.json plus every openapi/parts/*.json (in name order). A part is a
 * partial document holding `tags`, `paths`, `webhooks` and `components` sections of one area of
 * the API (domains, webhooks, accounts…), so each area is written beside its peers, not inside them.
 */
export function loadOpenApiDocument(): Record<string, any> {
  const document = readJson(path.join(OPENAPI_DIR, 'openapi.json'));
  const partsDir = path.join(OPENAPI_DIR, 'parts');
  let parts: string[] = [];
  try {
    parts = readdirSync(partsDir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    // no parts directory: the base document is the whole document
  }
  for (const file of parts) {
    const part = readJson(path.join(partsDir, file));
    document.tags = [...(document.tags ?? []), ...(part.tags ?? [])];
    for (const section of ['paths', 'webhooks'] as const) {
      if (part[section]) mergeSection((document[section] ??= {}), part[section], `${file}: ${section}`);
    }
    for (const [kind, entries] of Object.entries<Record<string, any>>(part.components ?? {})) {
      document.components ??= {};
      mergeSection((document.components[kind] ??= {}), entries, `${file}: components/${kind}`);
    }
  }
  return document;
}

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
