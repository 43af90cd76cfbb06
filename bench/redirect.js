#!/usr/bin/env node
/**
 * Redirect hot path: GET /:shortId on the redirector (route warm in its in-process cache, the whole
 * click pipeline on: one clicks.v1 event per request to Kafka, plus the recent-click Redis record)
 * against a bare node:http server answering a fixed 302, in the same run on the same machine.
 * autocannon, 50 connections, 10 s each (after a short warm-up). Prints req/s, p50 and p99 of
 * both and the throughput ratio; targets: ratio ≥ 0.5, redirector p99 < 15 ms. Also prints the
 * CPU each server spent per request (all threads; it hardly moves when other work shares the
 * machine) and checks that every click reached Kafka (the pipeline really was on).
 *
 * Needs built packages (`pnpm build`), Redis and Kafka (`pnpm infra:up`).
 * Options: --duration <s> (default 10), --connections <n> (default 50), --rounds <n> (default 1;
 * with more, the two alternate and each figure is the median), --branded (the link lives on a
 * verified branded domain and requests carry its Host header: routing by host and key),
 * --baseline <checkout> (a second redirector, built in another checkout of Hop, say the commit
 * before a change, measured in the same rounds: the before/after of a change in one run),
 * --event-check every|first-of-batch (CLICK_EVENT_CHECK of this checkout's redirector; default
 * production's, first-of-batch), --pin (the measured servers on CPU 1, this process and its load
 * generator on CPU 0, so that neither takes the other's time slices: steadier CPU per request on a
 * shared machine; Redis and Kafka stay unpinned), --rate <req/s> (every server gets this offered
 * load instead of as much as it takes: CPU per request compared at equal load and equal click
 * batches, which a saturated run cannot promise when the servers' throughputs differ).
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const autocannon = require('autocannon');
const harness = require('./lib/harness');

harness.requireBuilt(['services/redirector/dist/main.js']);
const Redis = harness.fromService('redirector')('ioredis');

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '1' },
    branded: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    'event-check': { type: 'string', default: 'first-of-batch' },
    pin: { type: 'boolean', default: false },
    rate: { type: 'string' },
  },
});
const BRANDED_HOST = opts.branded ? 'go.bench.test' : null;
const DURATION = Number(opts.duration);
const CONNECTIONS = Number(opts.connections);
const ROUNDS = Number(opts.rounds);
const RATE = opts.rate === undefined ? undefined : Number(opts.rate);
if (RATE !== undefined && !(RATE > 0)) throw new Error('--rate takes requests per second, over 0');
const RUN = harness.runId();
const TARGETS = { ratio: 0.5, p99Ms: 15 };
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const SHORT_ID = 'benchLink1';

// The baseline: what node:http costs for a 302 with nothing behind it.
const BARE = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  res.writeHead(302, { location: 'https://dest.example/landing?hoko_id=V1StGXR8_Z5jdHi6B-myT' }).end();
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.env.PORT), '127.0.0.1');
`;

async function startBare() {
  const port = await harness.freePort();
  const child = spawn(process.execPath, ['-e', BARE], { env: { ...process.env, PORT: String(port) }, stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      if (i > 100) throw new Error('bare server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, pid: child.pid, stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill()))) };
}

function cannon(url, duration, overallRate) {
  return new Promise((resolve, reject) => {
    const headers = { 'user-agent': UA, ...(BRANDED_HOST && { host: BRANDED_HOST }) };
    autocannon({ url, connections: CONNECTIONS, duration, headers, ...(overallRate && { overallRate }) }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function measure(target, duration) {
  const before = harness.cpuMs(target.pid);
  const result = await cannon(`${target.url}/${SHORT_ID}`, duration, RATE);
  const after = harness.cpuMs(target.pid);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUsPerRequest: before === null ? null : ((after - before) * 1000) / result.requests.total,
    failed: result.non2xx - result['3xx'] + result.errors + result.timeouts,
  };
}

async function metric(url, name) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hop-bench-spool-'));
let bare;

/** The bench link's route (and its branded domain) in the Redis of the redirector using `prefix`. */
async function seedRoute(prefix) {
  const redis = new Redis(harness.REDIS, { keyPrefix: `${prefix}:` });
  const workspaceId = randomUUID();
  if (BRANDED_HOST) {
    const domain = { name: BRANDED_HOST, workspaceId, rootRedirectUrl: null, notFoundUrl: null, version: Date.now() };
    await redis.set(`domain:${BRANDED_HOST}`, JSON.stringify(domain));
  }
  await redis.set(
    `route:${BRANDED_HOST ? `${BRANDED_HOST}/` : ''}${SHORT_ID}`,
    JSON.stringify({
      linkId: randomUUID(),
      shortId: SHORT_ID,
      domain: BRANDED_HOST,
      workspaceId,
      url: 'https://dest.example/landing',
      utm: { source: 'bench', medium: 'cpc', campaign: 'redirect' },
      params: { ref_code: 'abc' },
      redirectType: 302,
      active: true,
      cloaked: false,
      hideReferrer: false,
      partnerId: randomUUID(),
      version: Date.now(),
    }),
  );
  redis.disconnect();
}

/** With --pin: every thread of `pid` runs on `cpu` only (threads started later inherit it). */
function pin(pid, cpu) {
  if (!opts.pin) return;
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskset could not pin ${pid} to CPU ${cpu}: ${result.stderr || result.error}`);
}

async function main() {
  pin(process.pid, 0);
  bare = await startBare();
  const startRedirector = async (prefix, entry) =>
    (
      await harness.startService('redirector', {
        entry,
        redisPrefix: `${prefix}:`,
        kafkaPrefix: `${prefix}.`,
        env: { CLICK_SPOOL_DIR: fs.mkdtempSync(path.join(spoolDir, 'r-')), LINK_URL: 'http://127.0.0.1:9', GEO_COUNTRY_HEADER: '', CLICK_EVENT_CHECK: opts['event-check'] },
      })
    ).ready();
  const redirector = await startRedirector(RUN);
  const baseline = opts.baseline ? await startRedirector(`${RUN}b`, path.join(path.resolve(opts.baseline), 'services/redirector/dist/main.js')) : null;
  await seedRoute(RUN);
  if (baseline) await seedRoute(`${RUN}b`);

  const targets = { bare, redirector, ...(baseline && { baseline }) };
  for (const target of Object.values(targets)) pin(target.pid, 1);
  // Warm-up: route cached, Kafka producer connected, JIT warm.
  for (const target of Object.values(targets)) await cannon(`${target.url}/${SHORT_ID}`, 2);

  const runs = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
  // Every other round runs in reverse order, so neither side always follows the other.
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? Object.keys(targets) : Object.keys(targets).reverse();
    for (const name of order) runs[name].push(await measure(targets[name], DURATION));
  }

  // The pipeline was on: every click recorded reaches Kafka.
  const deadline = Date.now() + 30_000;
  let clicks;
  do {
    const [recorded, published, spooled] = await Promise.all(
      ['recorded', 'published', 'spooled'].map((n) => metric(redirector.url, `hop_redirector_clicks_${n}_total`)),
    );
    clicks = { recorded, published, spooled };
    if (published >= recorded) break;
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < deadline);

  const summary = (name) => {
    const of = (key) => harness.median(runs[name].map((r) => r[key]));
    return { rps: Math.round(of('rps')), p50: of('p50'), p99: of('p99'), cpuUsPerRequest: Number(of('cpuUsPerRequest')?.toFixed(1)), failed: of('failed') };
  };
  const result = {
    at: new Date().toISOString(),
    connections: CONNECTIONS,
    durationS: DURATION,
    rounds: ROUNDS,
    rate: RATE ?? null,
    branded: Boolean(BRANDED_HOST),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    pinned: opts.pin,
    bare: summary('bare'),
    redirector: summary('redirector'),
    ...(baseline && { baseline: { checkout: path.resolve(opts.baseline), ...summary('baseline') } }),
    clicks,
  };
  result.ratio = Number((result.redirector.rps / result.bare.rps).toFixed(3));
  result.targets = { ...TARGETS, ratioMet: result.ratio >= TARGETS.ratio, p99Met: result.redirector.p99 < TARGETS.p99Ms };

  const row = (label, s) =>
    `${label.padEnd(12)} ${String(s.rps).padStart(8)} req/s   p50 ${String(s.p50).padStart(3)} ms   p99 ${String(s.p99).padStart(3)} ms   CPU ${s.cpuUsPerRequest} µs/request`;
  console.log(
    `\nredirect hot path${BRANDED_HOST ? ` (branded domain ${BRANDED_HOST})` : ''}: autocannon ${CONNECTIONS} connections${RATE ? ` at ${RATE} req/s` : ''}, ${DURATION} s${ROUNDS > 1 ? ` × ${ROUNDS} rounds (medians)` : ''}${opts.pin ? '; servers on CPU 1, load generator on CPU 0' : ''}; load average ${result.loadAverage.join(' ')}`,
  );
  console.log(row('bare 302', result.bare));
  console.log(row('redirector', result.redirector));
  if (result.baseline) {
    console.log(row('baseline', result.baseline) + `   (${result.baseline.checkout})`);
    console.log(
      `this checkout vs baseline: req/s × ${(result.redirector.rps / result.baseline.rps).toFixed(3)}, ` +
        `CPU/request × ${(result.redirector.cpuUsPerRequest / result.baseline.cpuUsPerRequest).toFixed(3)}`,
    );
  }
  console.log(
    `ratio ${result.ratio} (target ≥ ${TARGETS.ratio}: ${result.targets.ratioMet ? 'met' : 'NOT met'}); ` +
      `redirector p99 ${result.redirector.p99} ms (target < ${TARGETS.p99Ms}: ${result.targets.p99Met ? 'met' : 'NOT met'})`,
  );
  console.log(`clicks recorded ${clicks.recorded}, published to Kafka ${clicks.published} (${clicks.spooled} through the spool file); failed responses bare ${result.bare.failed}, redirector ${result.redirector.failed}`);
  console.log(`written to ${harness.writeResult('redirect', result)}`);
}

harness.runMain(main, {
  exit: true,
  cleanup: async () => {
    await bare?.stop();
    await harness.cleanup({ redisPrefix: `${RUN}:`, kafkaPrefix: `${RUN}.` });
    fs.rmSync(spoolDir, { recursive: true, force: true });
  },
});
