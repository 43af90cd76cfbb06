import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A parsed JSON object; readers check what they take out of it. */
export type JsonObject = { [key: string]: unknown };

/** The sections of a document (or of a part of one) that the merge reads; the rest passes through. */
export interface OpenApiDocument extends JsonObject {
  tags?: unknown[];
  paths?: JsonObject;
  webhooks?: JsonObject;
  components?: Record<string, JsonObject>;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;

/** Adds every entry of `part` to `into`, refusing a name both define (two parts must not silently disagree). */
function mergeSection(into: JsonObject, part: JsonObject, where: string): void {
  for (const [name, value] of Object.entries(part)) {
    if (name in into) throw new Error(`OpenAPI: ${where}/${name} is defined twice`);
    into[name] = value;
  }
}

/**
 * The public API's OpenAPI document: `<dir>/openapi.json` plus every `<dir>/parts/*.json` (in name
 * order). A part is a partial document holding `tags`, `paths`, `webhooks` and `components`
 * sections of one area of the API (domains, webhooks, accounts…), so each area is written beside
 * its peers, not inside them. The gateway serves it; the contract tests and the SDK build read it.
 */
export function loadOpenApiDocument(dir: string): OpenApiDocument {
  const document = readJson(path.join(dir, 'openapi.json'));
  const partsDir = path.join(dir, 'parts');
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
      const entries = part[section];
      if (entries) mergeSection((document[section] ??= {}), entries, `${file}: ${section}`);
    }
    for (const [kind, entries] of Object.entries(part.components ?? {})) {
      const components = (document.components ??= {});
      mergeSection((components[kind] ??= {}), entries, `${file}: components/${kind}`);
    }
  }
  return document;
}
