#!/usr/bin/env node
/**
 * Analytics freshness: a steady --rate redirects/s (default 1,000) through the redirector for
 * --seconds (default 20); for every redirect, the time from its response (the hoko_id in Location)
 * until GET /api/analytics returns that click (polled every 100 ms). Prints p50/p95/p99 against
 * the target (p95 < 2 s) and, as the baseline of the same run, the time until the same click is
 * readable from clicks.v1 by a plain Kafka consumer (the part of the delay that is not analytics).
 *
 * Needs the built redirector and analytics (`pnpm build`), PostgreSQL, Redis and Kafka. The link's
 * route is written to Redis the way the link service does, so the link service is not needed.
 * Options: --rate <n>, --seconds <n>.
 */
'use strict';

const http = require('node:http');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const lib = require('./analytics-lib');
const harness = require('./lib/harness');

harness.requireBuilt(['services/redirector/dist/main.js']);
const Redis = harness.fromService('redirector')('ioredis');

const TARGET_P95_MS = 2_000;
const POLL_MS = 100;
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

async function startRedirector({ prefix, port }) {
  const service = await harness.startService('redirector', {
    port,
    redisPrefix: prefix,
    kafkaPrefix: prefix,
    env: { SHORT_BASE_URL: `http://127.0.0.1:${port}`, CLICK_SPOOL_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'hop-bench-spool-')) },
  });
  return service.ready();
}

async function run({ rate, seconds }) {
  const runId = harness.runId('fbench');
  const prefix = `${runId}.`;
  const database = `${runId}_analytics`;
  const workspaceId = randomUUID();
  const linkId = randomUUID();
  const shortId = 'fresh';
  const redis = new Redis(harness.REDIS, { keyPrefix: prefix });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let analytics;
  let redirector;
  let kafkaConsumer;
  try {
    analytics = await lib.startAnalytics({ database, prefix });
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    redirector = await startRedirector({ prefix, port });
    await redis.set(
      `route:${shortId}`,
      JSON.stringify({
        linkId, shortId, workspaceId, url: 'https://example.com/landing', utm: null, params: null, redirectType: 302, active: true,
        expiresAt: null, expiredUrl: null, passwordHash: null, cloaked: false, hideReferrer: false, ios: null, android: null,
        geo: null, partnerId: null, tenantId: null, externalId: null, title: null, description: null, image: null,
        socialTitle: null, socialDescription: null, socialImage: null, version: Date.now(),
      }),
    );

    /** Baseline: when each click becomes readable from clicks.v1. */
    const inKafka = new Map();
    kafkaConsumer = await lib.events.runConsumer({
      kafka: lib.kafka(),
      groupId: `${runId}-baseline`,
      topic: 'clicks',
      prefix,
      logger: { error() {}, warn() {}, info() {}, debug() {}, level: 'silent' },
      handle: async (events) => {
        const now = performance.now();
        for (const e of events) if (!inKafka.has(e.data.clickId)) inKafka.set(e.data.clickId, now);
      },
    });

    const redirect = () =>
      new Promise((resolve, reject) => {
        const sent = performance.now();
        const req = http.get(`${redirector.url}/${shortId}`, { agent, headers: { 'user-agent': CHROME } }, (res) => {
          res.resume();
          const at = performance.now();
          const location = res.headers.location;
          const clickId = location ? new URL(location).searchParams.get('hoko_id') : null;
          if (res.statusCode !== 302 || !clickId) return reject(new Error(`redirect answered ${res.statusCode}`));
          resolve({ clickId, at, latency: at - sent, wall: Date.now() });
        });
        req.on('error', reject);
      });

    // Warm-up: the whole pipeline is up once a first redirect is visible.
    const first = await redirect();
    for (let seen = false; !seen; await new Promise((r) => setTimeout(r, 200))) {
      seen = (await lib.signedGet(analytics.url, `/internal/clicks/${first.clickId}`, workspaceId)).status === 200;
    }

    console.log(`freshness: ${rate} redirects/s for ${seconds} s through the redirector …`);
    const redirects = new Map(); // clickId → { at, wall }
    const latencies = [];
    const seenInApi = new Map();
    let failures = 0;
    let loadDone = false;

    let loadEndedAt = Infinity;
    const poller = (async () => {
      // After the load, keep polling until every click was seen, for at most 30 s.
      while (performance.now() < loadEndedAt + 30_000) {
        const unseen = [...redirects.entries()].filter(([id]) => !seenInApi.has(id));
        if (loadDone && unseen.length === 0) break;
        const oldest = unseen.length ? Math.min(...unseen.map(([, r]) => r.wall)) : Date.now();
        const startDate = new Date(oldest - 2_000).toISOString();
        const res = await lib.signedGet(
          analytics.url,
          `/api/analytics?linkId=${linkId}&startDate=${encodeURIComponent(startDate)}&take=10000&sort=asc&includeBots=true`,
          workspaceId,
        );
        const now = performance.now();
        for (const click of res.body) if (!seenInApi.has(click.id)) seenInApi.set(click.id, now);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })();

    const began = performance.now();
    const perTick = rate / 100;
    let sent = 0;
    const pending = [];
    while (performance.now() - began < seconds * 1000) {
      const due = Math.floor(((performance.now() - began) / 1000) * rate) + perTick;
      while (sent < due) {
        sent++;
        pending.push(
          redirect().then(
            (r) => {
              redirects.set(r.clickId, r);
              latencies.push(r.latency);
            },
            () => failures++,
          ),
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(pending);
    const achievedRate = sent / ((performance.now() - began) / 1000);
    loadDone = true;
    loadEndedAt = performance.now();
    await poller;

    const freshness = [];
    const kafkaFreshness = [];
    for (const [id, r] of redirects) {
      if (seenInApi.has(id)) freshness.push(seenInApi.get(id) - r.at);
      if (inKafka.has(id)) kafkaFreshness.push(Math.max(0, inKafka.get(id) - r.at));
    }
    freshness.sort((a, b) => a - b);
    kafkaFreshness.sort((a, b) => a - b);
    latencies.sort((a, b) => a - b);
    const stats = (xs) => ({ p50: lib.percentile(xs, 50), p95: lib.percentile(xs, 95), p99: lib.percentile(xs, 99), max: xs[xs.length - 1] });
    const api = stats(freshness);
    const kafka = stats(kafkaFreshness);
    const result = {
      rate,
      seconds,
      achievedRate,
      redirects: redirects.size,
      failures,
      notSeenInApi: redirects.size - freshness.length,
      redirectLatencyMs: stats(latencies),
      freshnessMs: api,
      kafkaFreshnessMs: kafka,
      pollIntervalMs: POLL_MS,
      targetP95Ms: TARGET_P95_MS,
      meetsTarget: api.p95 < TARGET_P95_MS && freshness.length === redirects.size,
    };
    console.log(`  ${redirects.size.toLocaleString()} redirects at ${achievedRate.toFixed(0)}/s (${failures} failed), redirect p50 ${result.redirectLatencyMs.p50.toFixed(1)} ms, p99 ${result.redirectLatencyMs.p99.toFixed(1)} ms`);
    console.log(`  redirect → visible in GET /api/analytics: p50 ${api.p50.toFixed(0)} ms, p95 ${api.p95.toFixed(0)} ms, p99 ${api.p99.toFixed(0)} ms, max ${api.max.toFixed(0)} ms (poll every ${POLL_MS} ms)`);
    console.log(`  baseline, redirect → readable from clicks.v1: p50 ${kafka.p50.toFixed(0)} ms, p95 ${kafka.p95.toFixed(0)} ms → analytics adds ${(api.p95 - kafka.p95).toFixed(0)} ms at p95`);
    console.log(`  target p95 < ${TARGET_P95_MS} ms: ${result.meetsTarget ? 'met' : 'NOT met'}${result.notSeenInApi ? ` (${result.notSeenInApi} never seen)` : ''}`);
    console.log(`  results: ${lib.writeResult('analytics-freshness', result)}`);
  } finally {
    agent.destroy();
    await kafkaConsumer?.stop();
    await redirector?.stop();
    await analytics?.stop();
    redis.disconnect();
    await harness.deleteRedisKeys(prefix).catch(() => undefined);
    await lib.deleteTopics(prefix).catch(() => undefined);
    await lib.dropDatabase(database).catch(() => undefined);
  }
}

if (require.main === module) {
  const { values } = parseArgs({ options: { rate: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '20' } } });
  harness.runMain(() => run({ rate: Number(values.rate), seconds: Number(values.seconds) }), { exit: true });
}
