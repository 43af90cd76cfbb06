#!/usr/bin/env node
// Writes the public API's OpenAPI document as the gateway serves it (services/gateway/openapi/
// openapi.json merged with openapi/parts/*.json) to one file: the input of the SDK's generator and
// of `pnpm lint:openapi`. Needs libs/http built (`tsc -b` runs first in `pnpm build`).
const fs = require('node:fs');
const path = require('node:path');
const { loadOpenApiDocument } = require('../libs/http/dist/openapi-document');

const root = path.resolve(__dirname, '..');
const out = path.resolve(root, process.argv[2] ?? 'libs/sdk/openapi.json');
const document = loadOpenApiDocument(path.join(root, 'services/gateway/openapi'));
fs.writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
console.log(`OpenAPI document (${Object.keys(document.paths ?? {}).length} paths) written to ${path.relative(root, out)}`);
