#!/usr/bin/env node
/**
 * Analytics ingest: produces N click.recorded events to clicks.v1 (a realistic, skewed stream of
 * one workspace over 30 days), then starts the analytics service and measures the time until all
 * N are queryable through GET /api/analytics (X-Total-Count). Prints clicks/s against the target
 * (20,000/s) and against a baseline measured in the same run: a consumer group that reads and
 * validates the same events and does nothing with them (Kafka + kafkajs + JSON ceiling).
 *
 * Needs the built service (`pnpm build`), PostgreSQL and Kafka (`pnpm infra:up`).
 * Options: --clicks <n> (default 1000000), --consumers <n> click consumers in the service
 * (default 3), --keep (keep the database, for bench/analytics-reports.js).
 */
'use strict';

const { randomUUID } = require('node:crypto');
const { parseArgs } = require('node:util');
const lib = require('./analytics-lib');
const harness = require('./lib/harness');

const TARGET_PER_SECOND = 20_000;

/** Time for a do-nothing consumer group to read every event of the topic. */
async function baselineSeconds(prefix, count) {
  const logger = { error() {}, warn() {}, info() {}, debug() {}, level: 'silent' };
  let seen = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const began = performance.now();
  const consumer = await lib.events.runConsumer({
    kafka: lib.kafka(),
    groupId: `baseline-${randomUUID()}`,
    topic: 'clicks',
    prefix,
    logger,
    handle: async (batch) => {
      seen += batch.length;
      if (seen >= count) done();
    },
  });
  await finished;
  const seconds = (performance.now() - began) / 1000;
  await consumer.stop();
  return seconds;
}

async function run({ clicks, consumers, keep }) {
  const runId = harness.runId('abench');
  const prefix = `${runId}.`;
  const database = `${runId}_analytics`;
  const workspaceId = randomUUID();
  let service;
  try {
    console.log(`producing ${clicks.toLocaleString()} click events to ${prefix}clicks.v1 …`);
    const produceSeconds = await lib.produce(prefix, lib.clickStream({ workspaceId, count: clicks }));
    console.log(`  produced in ${produceSeconds.toFixed(1)} s (${Math.round(clicks / produceSeconds).toLocaleString()} events/s)`);

    console.log('baseline: a consumer group that only reads and validates the events …');
    const baseline = await baselineSeconds(prefix, clicks);
    console.log(`  ${baseline.toFixed(1)} s (${Math.round(clicks / baseline).toLocaleString()} events/s)`);

    console.log(`analytics service (${consumers} click consumer${consumers > 1 ? 's' : ''}) ingesting …`);
    const spawned = performance.now();
    service = await lib.startAnalytics({ database, prefix, env: { CLICK_CONSUMERS: String(consumers) } });
    const ready = performance.now();
    let stored = 0;
    let lastReport = ready;
    while (stored < clicks) {
      await new Promise((r) => setTimeout(r, 250));
      stored = await lib.storedClicks(service.url, workspaceId);
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        console.log(`  ${stored.toLocaleString()} stored after ${((lastReport - ready) / 1000).toFixed(0)} s`);
      }
    }
    const ingestSeconds = (performance.now() - ready) / 1000;
    const perSecond = clicks / ingestSeconds;
    const [raw] = await lib.sql(database, 'SELECT count(*)::int AS n, count(DISTINCT click_id)::int AS ids FROM clicks');
    const [rolled] = await lib.sql(
      database,
      `SELECT sum(clicks)::int AS n FROM rollups WHERE dimension = 'count'`,
    );
    const [rollupRows] = await lib.sql(database, 'SELECT (SELECT count(*) FROM rollups)::int AS workspace, (SELECT count(*) FROM link_rollups)::int AS links');

    const result = {
      clicks,
      consumers,
      produceSeconds,
      baselineSeconds: baseline,
      baselinePerSecond: clicks / baseline,
      startupSeconds: (ready - spawned) / 1000,
      ingestSeconds,
      clicksPerSecond: perSecond,
      ratioToBaseline: baseline / ingestSeconds,
      target: TARGET_PER_SECOND,
      meetsTarget: perSecond >= TARGET_PER_SECOND,
      check: { rawRows: raw.n, distinctClickIds: raw.ids, rollupClicks: rolled.n, workspaceRollupRows: rollupRows.workspace, linkRollupRows: rollupRows.links },
      database: keep ? database : undefined,
      workspaceId,
    };
    console.log('');
    console.log(`ingest: ${clicks.toLocaleString()} clicks queryable in ${ingestSeconds.toFixed(1)} s → ${Math.round(perSecond).toLocaleString()} clicks/s`);
    console.log(`  target ≥ ${TARGET_PER_SECOND.toLocaleString()}/s: ${result.meetsTarget ? 'met' : 'NOT met'} (${(perSecond / TARGET_PER_SECOND).toFixed(2)}× target)`);
    console.log(`  vs do-nothing consumer: ${Math.round(result.baselinePerSecond).toLocaleString()}/s → ratio ${result.ratioToBaseline.toFixed(2)}`);
    console.log(`  check: ${raw.n.toLocaleString()} rows, ${raw.ids.toLocaleString()} distinct ids, rollups say ${rolled.n.toLocaleString()} (rollup rows: ${rollupRows.workspace.toLocaleString()} workspace, ${rollupRows.links.toLocaleString()} link)`);
    console.log(`  results: ${lib.writeResult('analytics-ingest', result)}`);
    return result;
  } finally {
    await service?.stop();
    await lib.deleteTopics(prefix).catch(() => undefined);
    if (!keep) await lib.dropDatabase(database).catch(() => undefined);
  }
}

module.exports = { run };

if (require.main === module) {
  const { values } = parseArgs({
    options: { clicks: { type: 'string', default: '1000000' }, consumers: { type: 'string', default: '3' }, keep: { type: 'boolean', default: false } },
  });
  harness.runMain(() => run({ clicks: Number(values.clicks), consumers: Number(values.consumers), keep: values.keep }), { exit: true });
}
