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

const fs = require('node:fs');
const os = require('node:os');
const { parseArgs } = require('node:util');
const harness = require('./lib/harness');

const SERVICES = ['gateway', 'link', 'catalog', 'partner'];
harness.requireBuilt([...SERVICES.map((s) => `services/${s}/dist/main.js`), 'libs/http/dist/index.js']);

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '3' }, links: { type: 'string', default: '10000' } } });
const RUNS = Number(opts.runs);
const LINKS = Number(opts.links);

const RUN = harness.runId();
const DATABASES = Object.fromEntries(SERVICES.map((s) => [s, `${RUN}_${s}`]));
const TARGETS = { createSeconds: 2, readSeconds: 1 };

const pids = {};
async function startService(name, env) {
  const service = await harness.startService(name, { database: DATABASES[name], redisPrefix: `${RUN}:`, kafkaPrefix: `${RUN}.`, env });
  pids[name] = service.pid;
  return service;
}

const request = harness.fetchJson;

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

const { median } = harness;

async function main() {
  const catalog = await startService('catalog', {});
  const partner = await startService('partner', {});
  const link = await startService('link', { CATALOG_URL: catalog.url, PARTNER_URL: partner.url, SHORT_BASE_URL: 'https://hop.bench' });
  const gateway = await startService('gateway', { LINK_URL: link.url, CATALOG_URL: catalog.url, PARTNER_URL: partner.url, ADMIN_TOKEN: harness.ADMIN_TOKEN });
  await Promise.all([catalog, partner, link, gateway].map((s) => s.ready()));
  const [linkUrl, gatewayUrl] = [link.url, gateway.url];

  const key = await harness.workspaceWithKey(gatewayUrl, ['linksRead', 'linksWrite', 'collectionsWrite']);
  const viaGateway = { ...key.viaGateway, 'content-type': 'application/json' };
  const [collection] = await request(
    `${gatewayUrl}/api/collections`,
    { method: 'POST', headers: viaGateway, body: JSON.stringify([{ name: 'bench' }]) },
    201,
  );

  // exactly what the gateway sends upstream for this key (the proof stays valid for 5 minutes)
  const direct = (method, url) => ({ ...harness.signed(key.context, method, url), 'content-type': 'application/json' });

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

  harness.writeResult('links', summary);
}

harness.runMain(main, { cleanup: () => harness.cleanup({ databases: Object.values(DATABASES), redisPrefix: `${RUN}:`, kafkaPrefix: `${RUN}.` }) });
