#!/usr/bin/env node
/**
 * Analytics reports over 1,000,000 clicks of one workspace (30 days): GET /api/analytics/summary
 * grouped by countries and as a daily timeseries (plus a few more reports), served from the
 * rollups; the baseline is the same query on the raw clicks, run straight in PostgreSQL in the same
 * run (no HTTP, which favours the baseline). Also the first page of GET /api/analytics with its
 * X-Total-Count against a raw count(*). Prints median and p95 of --runs runs each; target: each
 * summary < 200 ms.
 *
 * Fills its database with bench/analytics-ingest.js (through Kafka) unless --database names one
 * that bench/analytics-ingest.js --keep left (the workspace id is read from it).
 * Options: --clicks <n> (default 1000000), --runs <n> (default 20), --database <name>, --keep.
 */
'use strict';

const { parseArgs } = require('node:util');
const lib = require('./analytics-lib');
const harness = require('./lib/harness');
const ingest = require('./analytics-ingest');

const TARGET_MS = 200;

async function measure(runs, fn) {
  await fn(); // warm-up
  const times = [];
  for (let i = 0; i < runs; i++) {
    const began = performance.now();
    await fn();
    times.push(performance.now() - began);
  }
  times.sort((a, b) => a - b);
  return { medianMs: lib.percentile(times, 50), p95Ms: lib.percentile(times, 95) };
}

async function run({ clicks, runs, database, keep }) {
  let filledHere = false;
  if (!database) {
    database = (await ingest.run({ clicks, consumers: 3, keep: true })).database;
    filledHere = true;
  }
  const [{ workspace_id: workspaceId, n }] = await lib.sql(
    database,
    'SELECT workspace_id, count(*)::int AS n FROM clicks GROUP BY 1 ORDER BY 2 DESC LIMIT 1',
  );
  const [{ top_link: topLink }] = await lib.sql(
    database,
    'SELECT link_id AS top_link FROM clicks WHERE workspace_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1',
    [workspaceId],
  );
  const service = await lib.startAnalytics({ database, prefix: `${database}.reports.` });
  const pg = new (lib.fromAnalytics('pg').Client)({ connectionString: `${harness.POSTGRES}/${database}` });
  await pg.connect();
  try {
    console.log(`\nreports over ${n.toLocaleString()} clicks of one workspace (${runs} runs each, after a warm-up)`);
    const since = "now() - interval '30 days'";
    const cases = [
      {
        name: 'countries (30d)',
        api: '/api/analytics/summary?groupBy=countries&interval=30d',
        raw: `SELECT country_code, count(*) FROM clicks WHERE workspace_id = $1 AND created_at >= ${since} AND NOT bot GROUP BY 1 ORDER BY 2 DESC`,
        target: true,
      },
      {
        name: 'timeseries (30d, daily, UTC)',
        api: '/api/analytics/summary?groupBy=timeseries&interval=30d',
        raw: `SELECT date_trunc('day', created_at AT TIME ZONE 'UTC'), count(*) FROM clicks WHERE workspace_id = $1 AND created_at >= ${since} AND NOT bot GROUP BY 1 ORDER BY 1`,
        target: true,
      },
      {
        name: 'timeseries (30d, daily, America/New_York)',
        api: '/api/analytics/summary?groupBy=timeseries&interval=30d&timezone=America/New_York',
        raw: `SELECT date_trunc('day', created_at AT TIME ZONE 'America/New_York'), count(*) FROM clicks WHERE workspace_id = $1 AND created_at >= ${since} AND NOT bot GROUP BY 1 ORDER BY 1`,
      },
      {
        name: 'top_links (30d)',
        api: '/api/analytics/summary?groupBy=top_links&interval=30d',
        raw: `SELECT link_id, count(*) FROM clicks WHERE workspace_id = $1 AND created_at >= ${since} AND NOT bot GROUP BY 1 ORDER BY 2 DESC LIMIT 100`,
      },
      {
        name: 'countries of the top link (30d)',
        api: `/api/analytics/summary?groupBy=countries&interval=30d&linkId=${topLink}`,
        raw: `SELECT country_code, count(*) FROM clicks WHERE workspace_id = $1 AND link_id = '${topLink}' AND created_at >= ${since} AND NOT bot GROUP BY 1 ORDER BY 2 DESC`,
      },
      {
        name: 'GET /api/analytics first page + X-Total-Count',
        api: '/api/analytics?take=50',
        raw: 'SELECT count(*) FROM clicks WHERE workspace_id = $1 AND NOT bot',
      },
    ];
    const results = [];
    for (const c of cases) {
      const check = await lib.signedGet(service.url, c.api, workspaceId);
      if (check.status !== 200) throw new Error(`${c.api} answered ${check.status}: ${JSON.stringify(check.body)}`);
      const rollup = await measure(runs, () => lib.signedGet(service.url, c.api, workspaceId));
      const raw = await measure(Math.min(runs, 5), () => pg.query(c.raw, [workspaceId]));
      const result = { name: c.name, api: c.api, ...rollup, raw, speedup: raw.medianMs / rollup.medianMs };
      if (c.target) result.meetsTarget = rollup.p95Ms < TARGET_MS;
      results.push(result);
      console.log(
        `  ${c.name.padEnd(46)} API ${rollup.medianMs.toFixed(1).padStart(7)} ms (p95 ${rollup.p95Ms.toFixed(1)})` +
          `   raw SQL ${raw.medianMs.toFixed(1).padStart(8)} ms   → ${result.speedup.toFixed(1)}× faster` +
          (c.target ? `   target < ${TARGET_MS} ms: ${result.meetsTarget ? 'met' : 'NOT met'}` : ''),
      );
    }
    console.log(`  results: ${lib.writeResult('analytics-reports', { clicks: n, runs, results })}`);
  } finally {
    await pg.end();
    await service.stop();
    await lib.deleteTopics(`${database}.reports.`).catch(() => undefined);
    if (filledHere && !keep) await lib.dropDatabase(database).catch(() => undefined);
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      clicks: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '20' },
      database: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  harness.runMain(() => run({ clicks: Number(values.clicks), runs: Number(values.runs), database: values.database, keep: values.keep }), { exit: true });
}
