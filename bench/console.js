#!/usr/bin/env node
/**
 * The console with 10,000 links and 1,000,000 clicks (30 days) in one workspace: Lighthouse
 * (desktop preset, Debian's Chromium, best of --runs) on the links and analytics pages through the
 * gateway. Prints the links page's time to interactive and the analytics page's rendered time
 * (its `hop:analytics-rendered` performance mark: figures and chart on screen, measured in the
 * browser) against a target of 1.5 s each, with the Lighthouse scores. Baseline, same run: the
 * same pages for an empty workspace.
 *
 * Links go through the API (one bulk POST); clicks through Kafka to the analytics service's own
 * ingestion (as bench/analytics-ingest.js does), over those links.
 * Options: --links <n> (default 10000), --clicks <n> (default 1000000), --runs <n> (default 3).
 */
'use strict';

const { execFile } = require('node:child_process');
const os = require('node:os');
const { promisify } = require('node:util');
const { parseArgs } = require('node:util');
const harness = require('./lib/harness');
const lib = require('./analytics-lib');

const SERVICES = ['gateway', 'link', 'catalog', 'partner', 'analytics', 'console'];
harness.requireBuilt([...SERVICES.map((s) => `services/${s}/dist/main.js`), 'services/console/dist/public/index.html', 'services/gateway/dist/cli.js']);

const { values: opts } = parseArgs({
  options: { links: { type: 'string', default: '10000' }, clicks: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' } },
});
const LINKS = Number(opts.links);
const CLICKS = Number(opts.clicks);
const RUNS = Number(opts.runs);
const TARGET_MS = 1_500;
const PASSWORD = 'violet-tractor-sings-7';

const RUN = harness.runId('console');
const DATABASES = Object.fromEntries(['gateway', 'link', 'catalog', 'partner', 'analytics'].map((s) => [s, `${RUN}_${s}`]));
const execFileAsync = promisify(execFile);

const start = (name, env = {}) => harness.startService(name, { database: DATABASES[name], redisPrefix: `${RUN}:`, kafkaPrefix: `${RUN}.`, env });

/** An owner of `workspaceId` made with the gateway's CLI, signed in: the session cookie. */
async function ownerSession(gatewayUrl, workspaceId, email) {
  await execFileAsync(process.execPath, [harness.fromRoot('services/gateway/dist/cli.js'), 'user', 'create', '--email', email, '--workspace', workspaceId, '--role', 'owner', '--password', PASSWORD], {
    env: { ...process.env, DATABASE_URL: `${harness.POSTGRES}/${DATABASES.gateway}`, REDIS_URL: harness.REDIS, REDIS_KEY_PREFIX: `${RUN}:`, INTERNAL_SECRET: harness.SECRET, LOG_LEVEL: 'warn' },
  });
  const login = await fetch(`${gatewayUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (!login.ok) throw new Error(`login answered ${login.status}`);
  return (login.headers.get('set-cookie') ?? '').split(';')[0];
}

async function lighthouse(gatewayUrl, cookie) {
  const pages = ['links', 'analytics'].map((name) => ({ name, url: `${gatewayUrl}/app/${name}` }));
  const { stdout } = await execFileAsync(process.execPath, [harness.fromRoot('services/console/scripts/lighthouse.mjs'), JSON.stringify({ pages, cookie, runs: RUNS })], {
    maxBuffer: 1 << 22,
  });
  return JSON.parse(stdout);
}

/** The two figures of one workspace's pages. */
function figures(results) {
  return {
    linksInteractiveMs: Math.round(results.links.metrics.interactive),
    analyticsRenderedMs: results.analytics.marks['hop:analytics-rendered'] ?? null,
    analyticsLcpMs: Math.round(results.analytics.metrics['largest-contentful-paint']),
    scores: { links: results.links.scores, analytics: results.analytics.scores },
    performanceRuns: { links: results.links.performanceRuns, analytics: results.analytics.performanceRuns },
    metrics: { links: results.links.metrics, analytics: results.analytics.metrics },
  };
}

async function main() {
  const [catalog, partner, consoleSite] = [await start('catalog'), await start('partner'), await start('console')];
  const link = await start('link', { CATALOG_URL: catalog.url, PARTNER_URL: partner.url, SHORT_BASE_URL: 'https://hop.bench' });
  // analytics backfills its link→collection projection from the link service at start
  const analytics = await start('analytics', { DATABASE_POOL_SIZE: '20', LINK_URL: link.url });
  const gateway = await start('gateway', {
    LINK_URL: link.url,
    CATALOG_URL: catalog.url,
    PARTNER_URL: partner.url,
    ANALYTICS_URL: analytics.url,
    CONSOLE_URL: consoleSite.url,
    ADMIN_TOKEN: harness.ADMIN_TOKEN,
    AUDIT_EVENTS_CONSUMER: 'false',
  });
  await Promise.all([catalog, partner, link, consoleSite, gateway].map((s) => s.ready()));
  await analytics.ready('/readyz');

  const key = await harness.workspaceWithKey(gateway.url, ['linksRead', 'linksWrite', 'collectionsWrite']);
  const headers = { ...key.viaGateway, 'content-type': 'application/json' };
  const [collection] = await harness.fetchJson(`${gateway.url}/api/collections`, { method: 'POST', headers, body: JSON.stringify([{ name: 'bench' }]) }, 201);
  const linkIds = [];
  for (let done = 0; done < LINKS; done += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, LINKS - done) }, (_, i) => ({
      url: `https://example.com/landing/${done + i}?campaign=bench`,
      collectionId: collection.id,
      title: `Bench link ${done + i}`,
      utm: { source: 'bench', medium: 'cpc', campaign: 'console' },
    }));
    const created = await harness.fetchJson(`${gateway.url}/api/links`, { method: 'POST', headers, body: JSON.stringify(batch) }, 201);
    linkIds.push(...created.map((l) => l.id));
  }
  console.log(`${linkIds.length.toLocaleString()} links created; producing ${CLICKS.toLocaleString()} clicks…`);
  const workspaceId = key.workspace.id;
  await lib.produce(`${RUN}.`, lib.clickStream({ workspaceId, count: CLICKS, linkIds }));
  const began = performance.now();
  for (;;) {
    const stored = await lib.storedClicks(analytics.url, workspaceId);
    if (stored >= CLICKS) break;
    if (performance.now() - began > 30 * 60_000) throw new Error(`only ${stored} clicks stored after 30 minutes`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
  console.log(`clicks stored in ${((performance.now() - began) / 1000).toFixed(0)} s; running Lighthouse (${RUNS} runs a page)…`);

  const loaded = figures(await lighthouse(gateway.url, await ownerSession(gateway.url, workspaceId, 'bench.owner@example.com')));
  const empty = await harness.workspaceWithKey(gateway.url, ['linksRead']);
  const baseline = figures(await lighthouse(gateway.url, await ownerSession(gateway.url, empty.workspace.id, 'bench.empty@example.com')));

  const summary = {
    links: LINKS,
    clicks: CLICKS,
    runs: RUNS,
    loadAverage: os.loadavg()[0],
    cpus: os.cpus().length,
    loaded,
    baselineEmptyWorkspace: baseline,
    targets: { linksInteractiveMs: `< ${TARGET_MS}`, analyticsRenderedMs: `< ${TARGET_MS}`, performance: '>= 90', accessibility: '>= 95' },
  };
  const ok = (ms) => (ms !== null && ms < TARGET_MS ? 'ok' : 'MISSED');
  console.log(`\nconsole with ${LINKS.toLocaleString()} links and ${CLICKS.toLocaleString()} clicks (Lighthouse desktop, best of ${RUNS}; load average ${summary.loadAverage.toFixed(1)} on ${summary.cpus} CPUs)`);
  console.log(`  links page time to interactive:   ${loaded.linksInteractiveMs} ms (${ok(loaded.linksInteractiveMs)}; empty workspace ${baseline.linksInteractiveMs} ms)`);
  console.log(`  analytics page rendered (mark):   ${loaded.analyticsRenderedMs} ms (${ok(loaded.analyticsRenderedMs)}; empty workspace ${baseline.analyticsRenderedMs} ms; LCP ${loaded.analyticsLcpMs} ms)`);
  console.log(`  Lighthouse links:     performance ${loaded.scores.links.performance} (runs ${loaded.performanceRuns.links.join(', ')}), accessibility ${loaded.scores.links.accessibility}`);
  console.log(`  Lighthouse analytics: performance ${loaded.scores.analytics.performance} (runs ${loaded.performanceRuns.analytics.join(', ')}), accessibility ${loaded.scores.analytics.accessibility}`);
  console.log(`  results: ${lib.writeResult('console', summary)}`);
}

harness.runMain(main, {
  cleanup: () => harness.cleanup({ databases: Object.values(DATABASES), redisPrefix: `${RUN}:`, kafkaPrefix: `${RUN}.` }),
  exit: true,
});
