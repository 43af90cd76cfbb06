#!/usr/bin/env node
/**
 * Bulk links: POST /api/links with 10,000 links in one request, then GET /api/links?take=10000,
 * through the gateway with an API key; the same requests sent straight to the link service
 * (signed with the gateway's proof) in the same run are the baseline. Prints time and links/s
 * of each (median of --runs) and the gateway/direct ratio; targets: create 10,000 in < 2 s,
 * read 10,000 in < 1 s (through the gateway).
 *
 * Needs built packages (`pnpm build`), PostgreSQL, Redis and Kafka (`pnpm infra:up`).
 * Options: --runs <n> (default 3), --links <n> (default 10000).
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const root = path.resolve(__dirname, '..');
const fromRoot = (p) => path.join(root, p);
const SERVICES = ['gateway', 'link', 'catalog', 'partner'];
for (const built of [...SERVICES.map((s) => `services/${s}/dist/main.js`), 'libs/http/dist/index.js']) {
  if (!fs.existsSync(fromRoot(built))) {
    console.error(`missing ${built}: run "pnpm build" first`);
    process.exit(2);
  }
}
const { contextHeaders, signInternalRequest } = require(fromRoot('libs/http/dist'));
const fromLink = (dep) => require(require.resolve(dep, { paths: [fromRoot('services/link')] }));
const { Client } = fromLink('pg');
const { Kafka, logLevel } = fromLink('kafkajs');
const Redis = fromLink('ioredis');

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '3' }, links: { type: 'string', default: '10000' } } });
const RUNS = Number(opts.runs);
const LINKS = Number(opts.links);

const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'bench-internal-secret-0123456789';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const RUN = `bench${Date.now().toString(36)}`;
const DATABASES = Object.fromEntries(SERVICES.map((s) => [s, `${RUN}_${s}`]));
const TARGETS = { createSeconds: 2, readSeconds: 1 };

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const children = [];
const pids = {};
async function startService(name, env) {
  const port = await freePort();
  const child = spawn(process.execPath, [fromRoot(`services/${name}/dist/main.js`)], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      INTERNAL_SECRET: SECRET,
      DATABASE_URL: `${POSTGRES}/${DATABASES[name]}`,
      REDIS_URL: REDIS,
      REDIS_KEY_PREFIX: `${RUN}:`,
      KAFKA_TOPIC_PREFIX: `${RUN}.`,
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  pids[name] = child.pid;
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

async function request(url, init, expected) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${init?.method ?? 'GET'} ${url} → ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/**
 * CPU seconds a process has used (Linux /proc; null elsewhere). Unlike wall time it hardly moves
 * when other work shares the machine, so it tells how much of the time is the link service's own.
 */
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

/** Wall seconds one call takes, the link service's CPU seconds meanwhile, and the parsed answer. */
async function timed(call) {
  const cpuBefore = cpuSeconds(pids.link);
  const started = process.hrtime.bigint();
  const body = await call();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = cpuSeconds(pids.link);
  return { seconds, linkCpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore, body };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const catalogUrl = await startService('catalog', {});
  const partnerUrl = await startService('partner', {});
  const linkUrl = await startService('link', { CATALOG_URL: catalogUrl, PARTNER_URL: partnerUrl, SHORT_BASE_URL: 'https://hop.bench' });
  const gatewayUrl = await startService('gateway', { LINK_URL: linkUrl, CATALOG_URL: catalogUrl, PARTNER_URL: partnerUrl, ADMIN_TOKEN });
  await Promise.all([catalogUrl, partnerUrl, linkUrl, gatewayUrl].map(waitHealthy));

  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const workspace = await request(
    `${gatewayUrl}/admin/workspaces`,
    { method: 'POST', headers: admin, body: JSON.stringify({ name: 'bench', plan: 'enterprise', rateLimit: 10_000_000 }) },
    201,
  );
  const { key, id: keyId, scopes } = await request(
    `${gatewayUrl}/admin/workspaces/${workspace.id}/keys`,
    { method: 'POST', headers: admin, body: JSON.stringify({ name: 'bench', scopes: ['linksRead', 'linksWrite', 'collectionsWrite'] }) },
    201,
  );
  const viaGateway = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const [collection] = await request(
    `${gatewayUrl}/api/collections`,
    { method: 'POST', headers: viaGateway, body: JSON.stringify([{ name: 'bench' }]) },
    201,
  );

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
  const direct = (method, url) => ({ ...context, ...signInternalRequest(SECRET, method, url, context), 'content-type': 'application/json' });

  let batch = 0;
  const body = () => {
    batch++;
    return JSON.stringify(
      Array.from({ length: LINKS }, (_, i) => ({
        url: `https://example.com/landing/${batch}/${i}?campaign=bench`,
        collectionId: collection.id,
        title: `Bench link ${batch}-${i}`,
        externalId: `bench-${batch}-${i}`,
        utm: { source: 'bench', medium: 'cpc', campaign: `run-${batch}` },
      })),
    );
  };
  const create = (base, headers) => request(`${base}/api/links`, { method: 'POST', headers, body: body() }, 201);
  const READ = `/api/links?take=${LINKS}`;
  const read = (base, headers) => request(`${base}${READ}`, { headers }, 200);

  console.log('warming up…');
  await create(gatewayUrl, viaGateway);
  await read(gatewayUrl, viaGateway);

  const results = { gateway: { create: [], read: [] }, direct: { create: [], read: [] } };
  const linkCpu = { create: [], read: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const [name, base, headers] of [
      ['direct', linkUrl, (m, u) => direct(m, u)],
      ['gateway', gatewayUrl, () => viaGateway],
    ]) {
      const created = await timed(() => create(base, headers('POST', '/api/links')));
      if (created.body.length !== LINKS) throw new Error(`${name}: created ${created.body.length} links`);
      results[name].create.push(created.seconds);
      linkCpu.create.push(created.linkCpuSeconds);
      const listed = await timed(() => read(base, headers('GET', READ)));
      if (listed.body.length !== LINKS) throw new Error(`${name}: read ${listed.body.length} links`);
      results[name].read.push(listed.seconds);
      linkCpu.read.push(listed.linkCpuSeconds);
    }
  }

  const figures = (name, op) => {
    const seconds = median(results[name][op]);
    return { seconds, linksPerSecond: LINKS / seconds, bestSeconds: Math.min(...results[name][op]), runs: results[name][op] };
  };
  const summary = {
    benchmark: 'links',
    links: LINKS,
    runs: RUNS,
    // other work on the machine skews the figures: the 1-minute load average when the run ended
    loadAverage: os.loadavg()[0],
    cpus: os.cpus().length,
    gateway: { create: figures('gateway', 'create'), read: figures('gateway', 'read') },
    direct: { create: figures('direct', 'create'), read: figures('direct', 'read') },
    linkServiceCpuSeconds: linkCpu.create.includes(null) ? null : { create: median(linkCpu.create), read: median(linkCpu.read) },
    targets: { createSeconds: `< ${TARGETS.createSeconds}`, readSeconds: `< ${TARGETS.readSeconds}` },
  };
  summary.ratio = {
    create: summary.gateway.create.seconds / summary.direct.create.seconds,
    read: summary.gateway.read.seconds / summary.direct.read.seconds,
  };
  summary.pass = summary.gateway.create.seconds < TARGETS.createSeconds && summary.gateway.read.seconds < TARGETS.readSeconds;

  const row = (label, f) =>
    `${label.padEnd(28)} ${f.seconds.toFixed(3).padStart(7)} s   ${f.linksPerSecond.toFixed(0).padStart(7)} links/s   (best ${f.bestSeconds.toFixed(3)} s)`;
  console.log('');
  console.log(`median of ${RUNS} runs, ${LINKS} links per request; load average ${summary.loadAverage.toFixed(1)} on ${summary.cpus} CPUs`);
  console.log(row(`POST ${LINKS} via gateway`, summary.gateway.create));
  console.log(row(`POST ${LINKS} direct`, summary.direct.create));
  console.log(row(`GET take=${LINKS} via gateway`, summary.gateway.read));
  console.log(row(`GET take=${LINKS} direct`, summary.direct.read));
  if (summary.linkServiceCpuSeconds) {
    const { create, read } = summary.linkServiceCpuSeconds;
    console.log(`link service CPU per request (median): POST ${create.toFixed(2)} s, GET ${read.toFixed(2)} s`);
  }
  console.log('');
  console.log(`gateway/direct time: create ×${summary.ratio.create.toFixed(2)}, read ×${summary.ratio.read.toFixed(2)}`);
  console.log(`targets (via gateway): create < ${TARGETS.createSeconds} s, read < ${TARGETS.readSeconds} s → ${summary.pass ? 'PASS' : 'MISSED TARGET'}`);

  const out = fromRoot('bench/results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'links.json'), `${JSON.stringify(summary, null, 2)}\n`);
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
  const redis = new Redis(REDIS);
  for (let cursor = '0'; ; ) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${RUN}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  redis.disconnect();
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
