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

const { spawn } = require('node:child_process');
const http = require('node:http');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { parseArgs } = require('node:util');

const root = path.resolve(__dirname, '..');
const fromRoot = (p) => path.join(root, p);
for (const built of ['services/gateway/dist/main.js', 'services/catalog/dist/main.js', 'libs/http/dist/index.js']) {
  if (!fs.existsSync(fromRoot(built))) {
    console.error(`missing ${built}: run "pnpm build" first`);
    process.exit(2);
  }
}
const autocannon = require('autocannon');
const { contextHeaders, signInternalRequest } = require(fromRoot('libs/http/dist'));
const fromGateway = (dep) => require(require.resolve(dep, { paths: [fromRoot('services/gateway')] }));
const { Client } = fromGateway('pg');
const { Kafka, logLevel } = fromGateway('kafkajs');

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

const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const SECRET = 'bench-internal-secret-0123456789';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const RUN = `bench${Date.now().toString(36)}`;
const DATABASES = { gateway: `${RUN}_gateway`, catalog: `${RUN}_catalog` };
const PATH = '/api/collections?take=10';

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const children = [];
function startService(name, port, env) {
  const child = spawn(process.execPath, [fromRoot(`services/${name}/dist/main.js`)], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      INTERNAL_SECRET: SECRET,
      DATABASE_URL: `${POSTGRES}/${DATABASES[name]}`,
      REDIS_KEY_PREFIX: `${RUN}:`,
      KAFKA_TOPIC_PREFIX: `${RUN}.`,
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return `http://127.0.0.1:${port}`;
}

async function waitHealthy(url) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function json(url, init) {
  const res = await fetch(url, init);
  const body = await res.json();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Sequential requests on one keep-alive connection: p50/p99 in µs precision, no queueing. */
async function probeLatency(url, headers, count) {
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
  const times = [];
  for (let i = 0; i < count; i++) times.push(await once());
  agent.destroy();
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50Ms: at(0.5), p99Ms: at(0.99), meanMs: times.reduce((a, b) => a + b, 0) / times.length };
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
  const catalogUrl = startService('catalog', await freePort(), {});
  const gatewayUrl = startService('gateway', await freePort(), { CATALOG_URL: catalogUrl, ADMIN_TOKEN });
  await Promise.all([waitHealthy(catalogUrl), waitHealthy(gatewayUrl)]);

  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  // a rate limit far above what the run sends, so every request is served
  const workspace = await json(`${gatewayUrl}/admin/workspaces`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ name: 'bench', plan: 'enterprise', rateLimit: 10_000_000 }),
  });
  const { key, id: keyId, scopes } = await json(`${gatewayUrl}/admin/workspaces/${workspace.id}/keys`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ name: 'bench', scopes: ['collectionsRead', 'collectionsWrite'] }),
  });
  const viaGateway = { authorization: `Bearer ${key}` };
  await json(`${gatewayUrl}/api/collections`, {
    method: 'POST',
    headers: { ...viaGateway, 'content-type': 'application/json' },
    body: JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ name: `Collection ${i}`, description: 'bench data' }))),
  });

  // exactly what the gateway sends upstream for this key (the proof stays valid for 5 minutes)
  const context = contextHeaders({
    workspaceId: workspace.id,
    plan: workspace.plan,
    features: workspace.limits.features,
    bulkLimit: workspace.limits.bulkLimit,
    linkQuota: workspace.limits.linkQuota,
    scopes,
    keyId,
  });
  const direct = { ...context, ...signInternalRequest(SECRET, 'GET', PATH, context) };
  const [sampleDirect, sampleGateway] = await Promise.all([
    json(catalogUrl + PATH, { headers: direct }),
    json(gatewayUrl + PATH, { headers: viaGateway }),
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
  console.log(`probing latency: ${PROBES} sequential requests each, alternating…`);
  const probes = { direct: [], gateway: [] };
  for (let i = 0; i < ROUNDS; i++) {
    probes.direct.push(await probeLatency(catalogUrl + PATH, direct, PROBES));
    probes.gateway.push(await probeLatency(gatewayUrl + PATH, viaGateway, PROBES));
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
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

  const out = fromRoot('bench/results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'gateway.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

async function cleanup() {
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
  const client = new Client({ connectionString: `${POSTGRES}/postgres` });
  await client.connect();
  for (const db of Object.values(DATABASES)) await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  await client.end();
  const kafka = new Kafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  const topics = (await kafkaAdmin.listTopics()).filter((t) => t.startsWith(`${RUN}.`));
  if (topics.length) await kafkaAdmin.deleteTopics({ topics });
  await kafkaAdmin.disconnect();
}

main()
  .then(cleanup, async (err) => {
    console.error(err);
    process.exitCode = 1;
    await cleanup();
  })
  .catch((err) => {
    console.error('cleanup failed:', err);
    process.exitCode = 1;
  });
