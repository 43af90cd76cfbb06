#!/usr/bin/env node
/**
 * Inside the Dockerfile's build stage (workspace installed and built, cwd = the workspace root):
 * writes <out>, the production tree of services/<service> in the workspace's own layout —
 *   services/<service>/  its files (no sources, tests, tsconfig) and the links to its dependencies
 *   libs/<lib>/          each workspace lib it uses, the same way
 *   node_modules/.pnpm/  the store entries of their production dependencies, transitively
 * so that pnpm's relative links resolve as they do in the workspace.
 *
 * What `pnpm deploy --prod` gives, from the install that is already there: pnpm deploy re-reads
 * the store's index of every package for every service (≈6 s of CPU each, 9 services); this walks
 * links and hard-links files (well under a second each).
 *
 *   node scripts/docker/service-tree.js <service> <out>
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const [service, out] = process.argv.slice(2);
if (!service || !out) {
  console.error('usage: service-tree.js <service> <out>');
  process.exit(2);
}
const root = process.cwd();
const store = path.join(root, 'node_modules', '.pnpm');
/** Files of a workspace package that a running service never reads (node_modules: only the links kept below). */
const leftOut = (name) => ['node_modules', 'src', 'test'].includes(name) || name.startsWith('tsconfig');

const workspacePackages = new Set(); // absolute dirs
const storeEntries = new Set(); // names under node_modules/.pnpm
const links = new Set(); // links of workspace packages to keep (relative to root)

/** The store entry (`.pnpm/<id>`) a path lies in, or null for a workspace package. */
function storeEntryOf(dir) {
  const rel = path.relative(store, dir);
  return rel.startsWith('..') || path.isAbsolute(rel) ? null : rel.split(path.sep)[0];
}

/** Entries of a node_modules directory, scopes expanded: [name, path]. */
function modulesIn(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).flatMap((name) => {
    if (name.startsWith('.')) return [];
    const full = path.join(dir, name);
    return name.startsWith('@') ? fs.readdirSync(full).map((sub) => [`${name}/${sub}`, path.join(full, sub)]) : [[name, full]];
  });
}

function visit(dir) {
  const entry = storeEntryOf(dir);
  if (entry) {
    if (storeEntries.has(entry)) return;
    storeEntries.add(entry);
    // An entry's node_modules holds the package and links to all it depends on (pnpm installs no
    // dev dependencies of packages from the registry).
    for (const [, link] of modulesIn(path.join(store, entry, 'node_modules'))) visit(fs.realpathSync(link));
    return;
  }
  if (workspacePackages.has(dir)) return;
  workspacePackages.add(dir);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
    const link = path.join(dir, 'node_modules', name);
    if (!fs.existsSync(link)) continue; // an optional dependency not installed here
    links.add(path.relative(root, link));
    visit(fs.realpathSync(link));
  }
}

visit(path.join(root, 'services', service));

fs.mkdirSync(out, { recursive: true });
const copy = (paths) => {
  // Hard links (same filesystem): the image's COPY reads them as files; links are kept as links.
  for (let i = 0; i < paths.length; i += 500) execFileSync('cp', ['-a', '-l', '--parents', ...paths.slice(i, i + 500), out], { cwd: root });
};
copy([...storeEntries].map((entry) => path.join('node_modules', '.pnpm', entry)));
// Packages that use a module they do not declare find it among pnpm's hoisted links.
const hoisted = path.join(store, 'node_modules');
copy(
  modulesIn(hoisted)
    .filter(([, link]) => storeEntries.has(storeEntryOf(fs.realpathSync(link))))
    .map(([name]) => path.join('node_modules', '.pnpm', 'node_modules', name)),
);
for (const dir of workspacePackages) {
  copy(fs.readdirSync(dir).filter((name) => !leftOut(name)).map((name) => path.relative(root, path.join(dir, name))));
}
copy([...links]);
