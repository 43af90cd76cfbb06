'use strict';
/**
 * What the scenarios share: a workspace with links to load, the comparison of the clicks the
 * redirectors issued with what analytics holds, and assertions that collect every failed check.
 */
const harness = require('../../../bench/lib/harness');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Collects failed checks, so a scenario reports all of them (and all its figures) at once. */
class Checks {
  constructor() {
    this.failed = [];
  }

  equal(what, actual, expected) {
    if (actual !== expected) this.failed.push(`${what}: ${actual}, expected ${expected}`);
  }

  atMost(what, actual, bound) {
    if (!(actual <= bound)) this.failed.push(`${what}: ${actual}, expected at most ${bound}`);
  }

  ok(what, condition) {
    if (!condition) this.failed.push(what);
  }
}

/**
 * A workspace of its own (through gateway `gatewayPort`'s admin API) with a collection of `links` links; returns
 * { workspaceId, headers (an API key's), collectionId, shortIds, linkIds }.
 */
async function workspaceWithLinks(gatewayPort, links, name) {
  const gateway = `http://127.0.0.1:${gatewayPort}`;
  const key = await harness.workspaceWithKey(gateway, ['linksRead', 'linksWrite', 'collectionsWrite', 'analyticsRead']);
  const headers = { ...key.viaGateway, 'content-type': 'application/json' };
  const post = (path, body) => harness.fetchJson(`${gateway}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }, 201);
  const [collection] = await post('/api/collections', [{ name }]);
  const created = await post('/api/links', Array.from({ length: links }, (_, i) => ({ url: `https://dest.scale/${name}/${i}`, collectionId: collection.id })));
  return {
    workspaceId: key.workspace.id,
    headers: key.viaGateway,
    collectionId: collection.id,
    shortIds: created.map((l) => shortIdOf(l.shortUrl)),
    linkIds: created.map((l) => l.id),
  };
}

const shortIdOf = (shortUrl) => new URL(shortUrl).pathname.slice(1);

/** The API calls of the steady load: reads and creates on the link service, reports on analytics. */
const apiCalls = (workspace, name) => {
  let n = 0;
  return [
    ['GET', '/api/links?take=5'],
    ['POST', '/api/links', () => [{ url: `https://dest.scale/${name}/api/${n++}`, collectionId: workspace.collectionId }]],
    ['GET', '/api/analytics/summary'],
  ];
};

/** What analytics holds for a workspace: click id → rows, and the clicks its rollups count. */
async function storedClicks(cluster, workspaceId) {
  const rows = await cluster.sql('analytics', 'SELECT click_id, count(*)::int AS n FROM clicks WHERE workspace_id = $1 GROUP BY click_id', [workspaceId]);
  const [{ total }] = await cluster.sql('analytics', 'SELECT coalesce(sum(clicks), 0)::int AS total FROM link_rollups WHERE workspace_id = $1', [workspaceId]);
  return { rows: new Map(rows.map((r) => [r.click_id, r.n])), rollupClicks: total };
}

/**
 * Waits (up to `timeoutMs`) until analytics holds every id of `expected` for the workspace, then
 * a little longer for late duplicates; returns the comparison. `allowed` are ids that may or may
 * not arrive (clicks a crash can lose): neither missing nor unexpected.
 */
async function compareClicks(cluster, workspaceId, expected, { timeoutMs = 90_000, allowed = [] } = {}) {
  const began = Date.now();
  const wanted = new Set(expected);
  let stored;
  for (;;) {
    stored = await storedClicks(cluster, workspaceId);
    const arrived = [...wanted].filter((id) => stored.rows.has(id)).length;
    if (arrived === wanted.size || Date.now() - began > timeoutMs) break;
    await sleep(500);
  }
  const arrivedAfterS = (Date.now() - began) / 1000;
  await sleep(2_000);
  stored = await storedClicks(cluster, workspaceId);
  const maybe = new Set(allowed);
  const missing = [...wanted].filter((id) => !stored.rows.has(id));
  const unexpected = [...stored.rows.keys()].filter((id) => !wanted.has(id) && !maybe.has(id));
  const duplicated = [...stored.rows.values()].filter((n) => n > 1).length;
  return {
    expected: wanted.size,
    stored: stored.rows.size,
    missing: missing.length,
    unexpected: unexpected.length,
    duplicated,
    rollupClicks: stored.rollupClicks,
    allowedArrived: [...maybe].filter((id) => stored.rows.has(id)).length,
    caughtUpInS: Math.round(arrivedAfterS * 10) / 10,
  };
}

/**
 * The checks every click comparison must pass: each expected click stored exactly once, nothing
 * else — except that a request reset by a crash may have had its click recorded and spooled
 * without its 302 reaching the visitor (at most one such click per reset request).
 */
function exactlyOnce(checks, clicks, { resetByKill = 0 } = {}) {
  checks.equal('clicks missing in analytics', clicks.missing, 0);
  checks.atMost('clicks in analytics never issued to a visitor', clicks.unexpected, resetByKill);
  checks.equal('clicks stored twice', clicks.duplicated, 0);
  checks.equal('clicks counted by the rollups', clicks.rollupClicks, clicks.stored);
}

module.exports = { Checks, workspaceWithLinks, apiCalls, compareClicks, exactlyOnce, sleep };
