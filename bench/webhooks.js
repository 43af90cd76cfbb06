#!/usr/bin/env node
/**
 * Webhook delivery: one subscription to link.clicked, clicks published straight to clicks.v1 (as
 * the redirector publishes them), a receiver on loopback (its own thread) answering 204.
 *  1. throughput: --count clicks (default 100,000) published at once → delivered events/s, from
 *     the first publish to the last delivery;
 *     Then a backlog: as many clicks on the topic before the service starts → delivered events/s
 *     from its readiness (no publisher on the machine meanwhile);
 *  2. latency: --rate clicks/s (default 1,000) for --seconds (default 20) → p50/p95/p99 from each
 *     click's publish to its delivery.
 * Baseline of the same run: a bare consumer group of clicks.v1 in this process: events/s reading
 * the same burst back from the topic once it is delivered (alone, not beside the service, whose CPU
 * it would take), and publish → consumed latency at the same steady rate. Targets: ≥ 5,000 deliveries/s, p95 < 2 s.
 * CPU per delivery (the machine may be shared, so events/s alone is noisy): the webhook process's,
 * and its PostgreSQL backends' (Linux /proc, PostgreSQL on this machine), over each phase.
 *
 * --checkout <dir>: measures the webhook service built in another checkout instead (e.g. a worktree
 * of the commit before a change), for a before/after on the same machine; alternate the two runs.
 *
 * Needs the built webhook service (`pnpm build`), PostgreSQL and Kafka. The link service is stood
 * in for by a server answering GET /internal/links/:id with one link.
 */
'use strict';

const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { parseArgs } = require('node:util');
const { Worker } = require('node:worker_threads');
const harness = require('./lib/harness');

harness.requireBuilt(['services/webhook/dist/main.js', 'libs/events/dist/index.js']);
const events = require(harness.fromRoot('libs/events/dist'));

const TARGET_RATE = 5_000;
const TARGET_P95_MS = 2_000;
const silent = { error() {}, warn() {}, info() {}, debug() {}, level: 'silent' };

function listen(handler) {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const urlOf = (server) => `http://127.0.0.1:${server.address().port}`;

/** The receiver's thread: answers 204 and reports each delivery's click id with its time (ms since the epoch), in batches. */
const RECEIVER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
let batch = [];
setInterval(() => { if (batch.length) { parentPort.postMessage(batch); batch = []; } }, 20).unref();
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    batch.push([JSON.parse(Buffer.concat(chunks).toString()).data.click.id, performance.timeOrigin + performance.now()]);
    res.writeHead(204).end();
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
`;

/** Starts the receiver in a worker thread; `onDelivered` gets batches of [clickId, ms since the epoch]. */
function startReceiver(onDelivered) {
  const worker = new Worker(RECEIVER, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message) => {
      if (Array.isArray(message)) return onDelivered(message);
      resolve({ url: `http://127.0.0.1:${message.port}`, terminate: () => worker.terminate() });
    });
  });
}

/**
 * CPU spent from now by the service process and its database backends, in µs per delivery. The
 * backends are read every 500 ms: the pool closes idle connections, and a backend gone before
 * the end still counts up to its last reading.
 */
async function cpuMeter(pid, database) {
  const service = harness.cpuMs(pid);
  const start = await harness.databaseCpuMs(database);
  const latest = new Map(start);
  const read = async () => {
    for (const [backend, ms] of await harness.databaseCpuMs(database)) if (ms > 0) latest.set(backend, ms);
  };
  const sampler = setInterval(() => void read().catch(() => undefined), 500);
  return {
    perDelivery: async (deliveries) => {
      clearInterval(sampler);
      await read();
      const serviceUs = ((harness.cpuMs(pid) - service) * 1000) / deliveries;
      const databaseUs = (harness.cpuSpent(start, latest) * 1000) / deliveries;
      return { service: Math.round(serviceUs), database: Math.round(databaseUs), total: Math.round(serviceUs + databaseUs) };
    },
  };
}
const cpuText = (us) => `${us.total} µs (service ${us.service}, PostgreSQL ${us.database})`;

/** Clicks with their publish time in the click id (`<run>-<n>-<ms>`), so any observer can time them. */
function clicks(workspaceId, linkId, from, count, idPrefix = 'k') {
  return Array.from({ length: count }, (_, i) =>
    events.newEvent('click.recorded', workspaceId, {
      clickId: `${idPrefix}${from + i}`,
      linkId,
      shortId: 'bench',
      workspaceId,
      destination: 'https://example.com/landing',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      country: 'US',
      qr: false,
      bot: false,
      trigger: 'link',
      timestamp: new Date().toISOString(),
    }),
  );
}

async function run({ count, rate, seconds, checkout }) {
  const runId = harness.runId('whbench');
  const prefix = `${runId}.`;
  const database = `${runId}_webhook`;
  const workspaceId = randomUUID();
  const linkId = randomUUID();
  const kafka = harness.kafka('webhook-bench');
  const publishedAt = new Map(); // clickId → ms
  const deliveredAt = new Map();
  const consumedAt = new Map();
  let duplicates = 0;
  let baseline;
  const servers = [];
  let receiver;
  try {
    const linkStandIn = await listen((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const now = new Date().toISOString();
      res.end(JSON.stringify({ id: linkId, url: 'https://example.com/landing', shortUrl: 'http://127.0.0.1/bench', collectionId: randomUUID(), password: null, createdAt: now, updatedAt: now }));
    });
    // The receiver has its own thread, as a real one has its own machine: in this thread, publishing
    // the burst would hold back its answers, and with them the deliveries.
    receiver = await startReceiver((batch) => {
      for (const [clickId, at] of batch) {
        if (deliveredAt.has(clickId)) duplicates++;
        else deliveredAt.set(clickId, at - performance.timeOrigin);
      }
    });
    servers.push(linkStandIn);

    await events.ensureTopics(kafka, prefix, [{ topic: 'links' }, { topic: 'clicks' }, { topic: 'conversions' }]);
    const startWebhook = () =>
      harness.startService('webhook', {
        entry: checkout && path.resolve(checkout, 'services/webhook/dist/main.js'),
        database,
        kafkaPrefix: prefix,
        env: { LINK_URL: urlOf(linkStandIn), WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8', DATABASE_POOL_SIZE: '20' },
      });
    let service = await startWebhook();
    const webhook = await service.ready('/readyz');
    const context = harness.contextHeaders({ workspaceId, scopes: ['webhooksWrite'] });
    await harness.fetchJson(
      `${webhook.url}/api/webhooks`,
      {
        method: 'POST',
        headers: { ...harness.signed(context, 'POST', '/api/webhooks'), 'content-type': 'application/json' },
        body: JSON.stringify([{ name: 'bench', url: `${receiver.url}/hooks`, events: ['link.clicked'] }]),
      },
      201,
    );

    const producers = Array.from({ length: 8 }, () => new events.EventProducer(kafka, prefix));
    let nextProducer = 0;
    const publish = async (batch) => {
      const at = performance.now();
      for (const e of batch) publishedAt.set(e.data.clickId, at);
      const producer = producers[nextProducer++ % producers.length];
      await producer.sendRaw(events.topicName('clicks', prefix), batch.map((e) => ({ key: e.data.linkId, value: JSON.stringify(e) })));
    };
    const waitFor = async (map, ids, timeoutMs) => {
      const deadline = performance.now() + timeoutMs;
      // ids before `arrived` are in the map (nothing leaves it): each is looked up until it arrives,
      // not on every check (100,000 lookups 20 times a second took CPU from what is measured)
      let arrived = 0;
      for (;;) {
        while (arrived < ids.length && map.has(ids[arrived])) arrived++;
        if (arrived === ids.length || performance.now() >= deadline) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    // warm-up: one click through everything (consumer groups joined, link projected, connections open)
    const warm = clicks(workspaceId, linkId, -1, 1);
    await publish(warm);
    await waitFor(deliveredAt, ['k-1'], 60_000);
    if (!deliveredAt.has('k-1')) throw new Error('warm-up click never delivered');

    // 1. throughput
    console.log(`webhooks: ${count.toLocaleString()} clicks published at once …`);
    const burstIds = Array.from({ length: count }, (_, i) => `k${i}`);
    const burstCpu = await cpuMeter(service.pid, database);
    const began = performance.now();
    // eight sends in flight, as the redirector's producers would be
    const publishBurst = async (idPrefix) => {
      for (let i = 0; i < count; i += 8_000) {
        const sends = [];
        for (let j = i; j < Math.min(count, i + 8_000); j += 1_000) sends.push(publish(clicks(workspaceId, linkId, j, Math.min(1_000, count - j), idPrefix)));
        await Promise.all(sends);
      }
    };
    await publishBurst('k');
    const publishedIn = performance.now() - began;
    await waitFor(deliveredAt, burstIds, 600_000);
    const burstCpuUs = await burstCpu.perDelivery(burstIds.filter((id) => deliveredAt.has(id)).length);
    const delivered = burstIds.filter((id) => deliveredAt.has(id));
    const lastDelivery = Math.max(...delivered.map((id) => deliveredAt.get(id)));
    const deliveriesPerSecond = delivered.length / ((lastDelivery - began) / 1000);

    // 1b. A backlog: as many clicks on the topic before the service starts, then delivered from
    // its readiness (consumer groups joined) on. The publisher's CPU is out of this window, as it
    // is out of the bare consumer's below: the service, PostgreSQL, Kafka and the receiver alone.
    console.log(`webhooks: ${count.toLocaleString()} clicks on the topic before the service starts …`);
    await service.stop();
    await publishBurst('b');
    const backlogIds = Array.from({ length: count }, (_, i) => `b${i}`);
    service = await startWebhook();
    await service.ready('/readyz');
    const backlogCpu = await cpuMeter(service.pid, database);
    const backlogBegan = performance.now();
    await waitFor(deliveredAt, backlogIds, 600_000);
    const backlogDelivered = backlogIds.filter((id) => deliveredAt.has(id));
    const backlogCpuUs = await backlogCpu.perDelivery(backlogDelivered.length);
    const backlogPerSecond = backlogDelivered.length / ((Math.max(...backlogDelivered.map((id) => deliveredAt.get(id))) - backlogBegan) / 1000);

    // The baseline of the burst: a bare consumer group reading the same clicks back from the topic,
    // on its own (run beside the service, it took the CPU the service was measured on).
    console.log(`webhooks: a bare consumer reads the ${count.toLocaleString()} clicks back …`);
    baseline = await events.runConsumer({
      kafka,
      groupId: `${runId}-baseline`,
      topic: 'clicks',
      prefix,
      logger: silent,
      handle: async (batch) => {
        const now = performance.now();
        for (const e of batch) if (!consumedAt.has(e.data.clickId)) consumedAt.set(e.data.clickId, now);
      },
    });
    // the backlog's clicks too: the steady phase's baseline latency starts from a consumer caught up
    await waitFor(consumedAt, ['k-1', ...burstIds, ...backlogIds], 600_000);
    const firstConsumed = consumedAt.get('k-1');
    const lastConsumed = Math.max(...burstIds.filter((id) => consumedAt.has(id)).map((id) => consumedAt.get(id)));
    // from its first batch (the warm-up click comes first) to its last burst click
    const consumedPerSecond = burstIds.filter((id) => consumedAt.has(id)).length / ((lastConsumed - firstConsumed) / 1000);

    // 2. latency at a steady rate
    console.log(`webhooks: ${rate} clicks/s for ${seconds} s …`);
    const steadyIds = [];
    const steadyCpu = await cpuMeter(service.pid, database);
    const steadyBegan = performance.now();
    let sent = 0;
    const first = count + 1;
    while (performance.now() - steadyBegan < seconds * 1000) {
      const due = Math.floor(((performance.now() - steadyBegan) / 1000) * rate);
      if (due > sent) {
        const batch = clicks(workspaceId, linkId, first + sent, due - sent);
        sent = due;
        for (const e of batch) steadyIds.push(e.data.clickId);
        await publish(batch);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitFor(deliveredAt, steadyIds, 120_000);
    const steadyCpuUs = await steadyCpu.perDelivery(steadyIds.filter((id) => deliveredAt.has(id)).length);
    await waitFor(consumedAt, steadyIds, 30_000);
    const latency = (map) =>
      harness.ascending(steadyIds.filter((id) => map.has(id)).map((id) => map.get(id) - publishedAt.get(id)));
    const stats = (xs) => ({ p50: harness.percentile(xs, 50), p95: harness.percentile(xs, 95), p99: harness.percentile(xs, 99), max: xs[xs.length - 1] });
    const delivery = stats(latency(deliveredAt));
    const consumption = stats(latency(consumedAt));
    const result = {
      benchmark: 'webhooks',
      service: checkout ? path.resolve(checkout) : harness.root,
      at: new Date().toISOString(),
      burst: { clicks: count, delivered: delivered.length, publishSeconds: publishedIn / 1000, deliveriesPerSecond, baselineConsumedPerSecond: consumedPerSecond, cpuUsPerDelivery: burstCpuUs },
      backlog: { clicks: count, delivered: backlogDelivered.length, deliveriesPerSecond: backlogPerSecond, cpuUsPerDelivery: backlogCpuUs },
      steady: { rate, seconds, clicks: steadyIds.length, delivered: steadyIds.filter((id) => deliveredAt.has(id)).length, deliveryLatencyMs: delivery, baselineConsumeLatencyMs: consumption, cpuUsPerDelivery: steadyCpuUs },
      loadAverage: os.loadavg()[0],
      cpus: os.cpus().length,
      duplicates,
      targets: { deliveriesPerSecond: TARGET_RATE, p95Ms: TARGET_P95_MS },
      // the burst published while the service runs is the measure; the backlog shows what the publisher's share costs it
      meetsTargets: deliveriesPerSecond >= TARGET_RATE && delivery.p95 < TARGET_P95_MS && delivered.length === count && backlogDelivered.length === count,
    };
    console.log(`  burst: ${delivered.length.toLocaleString()}/${count.toLocaleString()} delivered at ${deliveriesPerSecond.toFixed(0)}/s; baseline consumer ${consumedPerSecond.toFixed(0)}/s (ratio ${(deliveriesPerSecond / consumedPerSecond).toFixed(2)}); published in ${(publishedIn / 1000).toFixed(1)} s`);
    console.log(`  backlog: ${backlogDelivered.length.toLocaleString()}/${count.toLocaleString()} on the topic delivered at ${backlogPerSecond.toFixed(0)}/s from readiness; CPU per delivery ${cpuText(backlogCpuUs)}`);
    console.log(`  CPU per delivery: burst ${cpuText(burstCpuUs)}; steady ${cpuText(steadyCpuUs)} (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`);
    console.log(`  steady ${rate}/s: click → delivery p50 ${delivery.p50.toFixed(0)} ms, p95 ${delivery.p95.toFixed(0)} ms, p99 ${delivery.p99.toFixed(0)} ms; baseline click → consumed p95 ${consumption.p95.toFixed(0)} ms`);
    console.log(`  duplicates: ${duplicates}; targets ≥ ${TARGET_RATE}/s and p95 < ${TARGET_P95_MS} ms: ${result.meetsTargets ? 'met' : 'NOT met'}`);
    console.log(`  results: ${harness.writeResult(checkout ? 'webhooks-checkout' : 'webhooks', result)}`);
    await Promise.all(producers.map((p) => p.disconnect()));
  } finally {
    await baseline?.stop();
    for (const server of servers) server.close();
    await receiver?.terminate();
    await harness.cleanup({ databases: [database], kafkaPrefix: prefix });
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '100000' },
      rate: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '20' },
      checkout: { type: 'string' },
    },
  });
  const options = { count: Number(values.count), rate: Number(values.rate), seconds: Number(values.seconds), checkout: values.checkout };
  harness.runMain(() => run(options), { exit: true });
}
