#!/usr/bin/env node
/**
 * Gateway overhead: the same GET /api/collections?take=10 sent (a) straight to the catalog
 * service, signed with the gateway's proof, and (b) through the gateway with an API key —
 * in the same run, against the same data. Prints throughput and p50/p99 of both and the
 * ratio; targets: the gateway adds < 1.5 ms at p50 and keeps ≥ 60% of direct throughput.
 * Throughput (and latency under load) come from autocannon with several connections; since
 * autocannon's percentiles are whole milliseconds, latency is also probed one request at a time
 * over one keep-alive connection, timed to the microsecond.
 *
 * The two are measured in alternation over several rounds and each figure is the median over
 * the rounds, so a burst of other load on the machine hits both sides alike.
 *
 * Needs built packages (`pnpm build`), PostgreSQL, Redis and Kafka (`pnpm infra:up`).
 * Options: --duration <s per measurement> (default 5), --rounds <n> (default 3),
 * --connections <n> (default 10).
 */
'use strict';

const http = require('node:http');
const { parseArgs } = require('node:util');
const harness = require('./lib/harness');

harness.requireBuilt(['services/gateway/dist/main.js', 'services/catalog/dist/main.js', 'libs/http/dist/index.js']);
const autocannon = require('autocannon');

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
  },
});
const DURATION = Number(opts.duration);
const ROUNDS = Number(opts.rounds);
const PROBES = 1_000;
const CONNECTIONS = Number(opts.connections);

const RUN = harness.runId();
const DATABASES = { gateway: `${RUN}_gateway`, catalog: `${RUN}_catalog` };
const PATH = '/api/collections?take=10';

const startService = (name, env) =>
  harness.startService(name, { database: DATABASES[name], redisPrefix: `${RUN}:`, kafkaPrefix: `${RUN}.`, env });

/** One keep-alive connection to `url`: a function timing one GET on it, in ms (µs precision). */
function sequentialClient(url, headers) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      http
        .get(url, { headers, agent }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`${url} → ${res.statusCode}`))));
        })
        .on('error', reject);
    });
  return { once, close: () => agent.destroy() };
}

const latencyStats = (times) => {
  times.sort((a, b) => a - b);
  return { p50Ms: harness.percentile(times, 50), p99Ms: harness.percentile(times, 99), meanMs: times.reduce((a, b) => a + b, 0) / times.length };
};

/**
 * Sequential requests, no queueing: one to each target in turn (direct, gateway, direct, …), so a
 * burst of other load on the machine hits both sides alike.
 */
async function probeLatency(targets, count) {
  const clients = Object.fromEntries(Object.entries(targets).map(([name, { url, headers }]) => [name, sequentialClient(url, headers)]));
  const times = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
  for (let i = 0; i < count; i++) for (const name of Object.keys(targets)) times[name].push(await clients[name].once());
  for (const client of Object.values(clients)) client.close();
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, latencyStats(t)]));
}

/** CPU seconds a started service has used so far (prom-client's process metric). */
async function cpuSeconds(baseUrl) {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return Number(/^process_cpu_seconds_total (\S+)/m.exec(text)[1]);
}

/** Runs autocannon and adds the CPU time `service` spent per request meanwhile. */
async function measure(title, url, headers, service) {
  const before = await cpuSeconds(service);
  const result = await run(title, url, headers);
  result.serviceCpuMsPerRequest = ((await cpuSeconds(service)) - before) * 1000 / result.requests;
  return result;
}

function run(title, url, headers) {
  return new Promise((resolve, reject) => {
    autocannon({ title, url, headers, connections: CONNECTIONS, duration: DURATION }, (err, result) => {
      if (err) return reject(err);
      if (result.non2xx) return reject(new Error(`${title}: ${result.non2xx} non-2xx responses`));
      resolve({
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        meanMs: result.latency.average,
        requests: result.requests.total,
      });
    });
  });
}

async function main() {
  const catalog = await startService('catalog', {});
  const gateway = await startService('gateway', { CATALOG_URL: catalog.url, ADMIN_TOKEN: harness.ADMIN_TOKEN });
  await Promise.all([catalog.ready(), gateway.ready()]);
  const [catalogUrl, gatewayUrl] = [catalog.url, gateway.url];

  const { viaGateway, context } = await harness.workspaceWithKey(gatewayUrl, ['collectionsRead', 'collectionsWrite']);
  await harness.fetchJson(`${gatewayUrl}/api/collections`, {
    method: 'POST',
    headers: { ...viaGateway, 'content-type': 'application/json' },
    body: JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ name: `Collection ${i}`, description: 'bench data' }))),
  });

  // exactly what the gateway sends upstream for this key (the proof stays valid for 5 minutes)
  const direct = harness.signed(context, 'GET', PATH);
  const [sampleDirect, sampleGateway] = await Promise.all([
    harness.fetchJson(catalogUrl + PATH, { headers: direct }),
    harness.fetchJson(gatewayUrl + PATH, { headers: viaGateway }),
  ]);
  if (JSON.stringify(sampleDirect) !== JSON.stringify(sampleGateway)) throw new Error('direct and gateway answers differ');

  console.log(`warming up (${CONNECTIONS} connections)…`);
  for (const [url, headers] of [[catalogUrl, direct], [gatewayUrl, viaGateway]]) {
    await new Promise((resolve) => autocannon({ url: url + PATH, headers, connections: CONNECTIONS, duration: 3 }, resolve));
  }

  console.log(`measuring GET ${PATH}: ${ROUNDS} rounds of ${DURATION} s direct, then ${DURATION} s through the gateway…`);
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    rounds.push({
      direct: await measure('direct', catalogUrl + PATH, direct, catalogUrl),
      gateway: await measure('gateway', gatewayUrl + PATH, viaGateway, gatewayUrl),
    });
  }
  console.log(`probing latency: ${PROBES} sequential requests each, alternating request by request…`);
  const probes = { direct: [], gateway: [] };
  for (let i = 0; i < ROUNDS; i++) {
    const round = await probeLatency({ direct: { url: catalogUrl + PATH, headers: direct }, gateway: { url: gatewayUrl + PATH, headers: viaGateway } }, PROBES);
    probes.direct.push(round.direct);
    probes.gateway.push(round.gateway);
  }
  const { median } = harness;
  const medianOf = (side) =>
    Object.fromEntries(Object.keys(rounds[0][side]).map((k) => [k, median(rounds.map((r) => r[side][k]))]));
  const directResult = medianOf('direct');
  const gatewayResult = medianOf('gateway');

  const throughputRatio = median(rounds.map((r) => r.gateway.requestsPerSecond / r.direct.requestsPerSecond));
  const probeMedian = (side) => Object.fromEntries(['p50Ms', 'p99Ms', 'meanMs'].map((k) => [k, median(probes[side].map((p) => p[k]))]));
  const sequential = { direct: probeMedian('direct'), gateway: probeMedian('gateway') };
  const addedP50Ms = sequential.gateway.p50Ms - sequential.direct.p50Ms;
  const summary = {
    benchmark: 'gateway',
    request: `GET ${PATH} (catalog service, 10 collections)`,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    rounds,
    direct: directResult,
    gateway: gatewayResult,
    throughputRatio,
    sequential,
    addedP50Ms,
    addedP50UnderLoadMs: median(rounds.map((r) => r.gateway.p50Ms - r.direct.p50Ms)),
    targets: { addedP50Ms: '< 1.5', throughputRatio: '>= 0.6' },
    pass: addedP50Ms < 1.5 && throughputRatio >= 0.6,
  };

  const row = (name, r) =>
    `${name.padEnd(8)} ${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${r.p50Ms.toFixed(2).padStart(6)} ms   p99 ${r.p99Ms.toFixed(2).padStart(6)} ms   mean ${r.meanMs.toFixed(2)} ms`;
  const cpuRow = (r) => `catalog CPU ${r.direct.serviceCpuMsPerRequest.toFixed(3)} ms/request; gateway CPU ${r.gateway.serviceCpuMsPerRequest.toFixed(3)} ms/request`;
  console.log('');
  rounds.forEach((r, i) => {
    console.log(`round ${i + 1}`);
    console.log(`  ${row('direct', r.direct)}`);
    console.log(`  ${row('gateway', r.gateway)}`);
    console.log(`  ${cpuRow(r)}`);
  });
  console.log('median');
  console.log(`  ${row('direct', directResult)}`);
  console.log(`  ${row('gateway', gatewayResult)}`);
  console.log(`  ${cpuRow({ direct: directResult, gateway: gatewayResult })}`);
  console.log('');
  console.log(`throughput kept: ${(throughputRatio * 100).toFixed(1)}% (target ≥ 60%, median of the rounds' ratios)`);
  const seq = (name, r) => `${name.padEnd(8)} p50 ${r.p50Ms.toFixed(3)} ms   p99 ${r.p99Ms.toFixed(3)} ms   mean ${r.meanMs.toFixed(3)} ms`;
  console.log('sequential (1 connection, median of the rounds)');
  console.log(`  ${seq('direct', sequential.direct)}`);
  console.log(`  ${seq('gateway', sequential.gateway)}`);
  console.log('');
  console.log(`added at p50:    ${addedP50Ms.toFixed(3)} ms sequential (target < 1.5 ms); ${summary.addedP50UnderLoadMs.toFixed(0)} ms under load (autocannon, whole ms)`);
  console.log(summary.pass ? 'PASS' : 'MISSED TARGET');

  harness.writeResult('gateway', summary);
}

harness.runMain(main, { cleanup: () => harness.cleanup({ databases: Object.values(DATABASES), redisPrefix: `${RUN}:`, kafkaPrefix: `${RUN}.` }) });
