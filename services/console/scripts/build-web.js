#!/usr/bin/env node
// Builds the console's single-page app with Vite into dist/public, skipped when nothing under web/
// changed since the last build (keeps `pnpm build` fast for everyone else).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const root = path.resolve(__dirname, '..');
const webDir = path.join(root, 'web');
const built = path.join(root, 'dist', 'public', 'index.html');

function newestChange(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const time = entry.isDirectory() ? newestChange(full) : fs.statSync(full).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
const inputs = [webDir, path.join(root, 'vite.config.mjs'), path.join(root, 'package.json')];
const changedAt = Math.max(...inputs.map((p) => (fs.statSync(p).isDirectory() ? newestChange(p) : fs.statSync(p).mtimeMs)));
if (builtAt > changedAt && process.env.CONSOLE_FORCE_BUILD !== '1') process.exit(0);

const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [root] })), 'bin', 'vite.js');
const result = spawnSync(process.execPath, [vite, 'build', '--config', path.join(root, 'vite.config.mjs'), '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

// Brotli and gzip copies of the text assets, written once here so the static server never
// compresses per request (src/http/static-site.ts serves them).
const assets = path.join(root, 'dist', 'public', 'assets');
for (const name of fs.readdirSync(assets).filter((n) => /\.(js|css|svg|json)$/.test(n))) {
  const file = path.join(assets, name);
  const content = fs.readFileSync(file);
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length } }));
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }));
}
