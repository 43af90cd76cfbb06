'use strict';
/**
 * The fault scenarios of issue 17 (part 1). Each takes the running cluster, puts its own
 * workspace under load, injects its fault, and returns { figures, failed } where `failed` lists
 * every check that did not hold (empty: passed). Each leaves the cluster whole for the next.
 */
const fs = require('node:fs');
const path = require('node:path');
const harness = require('../../bench/lib/harness');
const { Load } = require('./lib/load');
const { Checks, workspaceWithLinks, apiCalls, compareClicks, exactlyOnce, sleep } = require('./lib/checks');

const Redis = harness.fromService('redirector')('ioredis');

const LINKS = 20;
const REDIRECTS_PER_S = Number(process.env.SCALE_REDIRECTS_PER_S ?? 60);
const API_CALLS_PER_S = Number(process.env.SCALE_API_CALLS_PER_S ?? 8);
const OUTAGE_S = Number(process.env.SCALE_OUTAGE_S ?? 30);

const gatewayPort = (cluster) => cluster.instances.gateway[0].port;

function redirectLoad(cluster, workspace) {
  return new Load({ redirectors: cluster.balancers.redirector, shortIds: workspace.shortIds, redirectRate: REDIRECTS_PER_S });
}

/** Polls `probe` every 200 ms until truthy; throws after `timeoutMs`. */
async function until(what, probe, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/** kill -9 one analytics instance mid-load: the other takes its partitions over; every click lands once. */
async function consumerDies(cluster) {
  const checks = new Checks();
  const workspace = await workspaceWithLinks(gatewayPort(cluster), LINKS, 'consumer');
  const load = redirectLoad(cluster, workspace).start();
  await sleep(5_000);
  const victim = cluster.instances.analytics[0];
  await cluster.crash(victim);
  await sleep(10_000);
  const traffic = await load.stop();
  // Compared with one analytics instance left, i.e. after the group rebalanced (session timeout).
  const clicks = await compareClicks(cluster, workspace.workspaceId, load.clickIds());
  await cluster.launch(victim);
  checks.equal('redirects failed', traffic.redirects.failed, 0);
  exactlyOnce(checks, clicks);
  return { figures: { killed: victim.name, traffic, clicks, failures: load.failures }, failed: checks.failed };
}

/** SIGTERM and restart every instance of every service, one at a time, under steady load. */
async function rollingRestart(cluster) {
  const checks = new Checks();
  const workspace = await workspaceWithLinks(gatewayPort(cluster), LINKS, 'rolling');
  const load = new Load({
    redirectors: cluster.balancers.redirector,
    gateways: cluster.balancers.gateway,
    shortIds: workspace.shortIds,
    api: { headers: workspace.headers, calls: apiCalls(workspace, 'rolling') },
    redirectRate: REDIRECTS_PER_S,
    apiRate: API_CALLS_PER_S,
  }).start();
  await sleep(3_000);
  const restarts = {};
  for (const instance of cluster.all()) {
    const began = Date.now();
    const seconds = await cluster.restart(instance);
    const retryable503 = load.retryable503At.filter((at) => at >= began).length;
    restarts[instance.name] = { seconds, retryable503 };
  }
  await sleep(3_000);
  const traffic = await load.stop();
  const clicks = await compareClicks(cluster, workspace.workspaceId, load.clickIds());
  checks.equal('redirects failed', traffic.redirects.failed, 0);
  checks.equal('API calls failed (other than retryable 503)', traffic.apiCalls.failed, 0);
  exactlyOnce(checks, clicks);
  return { figures: { restarts, traffic, clicks, failures: load.failures }, failed: checks.failed };
}

/** The broker stopped for OUTAGE_S seconds under redirect load, then started again. */
async function brokerRestart(cluster) {
  const checks = new Checks();
  const workspace = await workspaceWithLinks(gatewayPort(cluster), LINKS, 'broker');
  const load = redirectLoad(cluster, workspace).start();
  await sleep(3_000);
  await cluster.stopKafka();
  const stoppedAt = Date.now();
  await sleep(OUTAGE_S * 1_000);
  const spooledDuringOutage = await sumOver(cluster.instances.redirector, (i) => cluster.metric(i, 'hop_redirector_clicks_spooled_total'));
  const startingAt = Date.now();
  await cluster.startKafka();
  // Stopped OUTAGE_S; then the broker's own start (slow on a busy machine) until it answered.
  const outageSeconds = { total: (Date.now() - stoppedAt) / 1000, brokerStart: (Date.now() - startingAt) / 1000 };
  await sleep(5_000);
  const traffic = await load.stop();
  const clicks = await compareClicks(cluster, workspace.workspaceId, load.clickIds(), { timeoutMs: 180_000 });
  // Consumers crashed by the outage are recreated (libs/events runConsumer) and their instances ready again.
  const readyAgain = await until('every instance ready again', async () => (await cluster.notReady()).length === 0, 180_000).then(
    () => true,
    () => false,
  );
  const consumerRestarts = await sumOver(cluster.all(), (i) => cluster.metric(i, 'hop_kafka_consumer_restarts_total'));
  checks.equal('redirects failed', traffic.redirects.failed, 0);
  exactlyOnce(checks, clicks);
  checks.ok('every instance ready again after the broker restart (instancesNotReadyAfter lists the others)', readyAgain);
  return {
    figures: { outageSeconds, spooledDuringOutage, traffic, clicks, consumerRestarts, failures: load.failures },
    failed: checks.failed,
  };
}

/**
 * Kafka down; one redirector is SIGTERMed and restarted (loses nothing), another is killed -9
 * after it spooled and restarted on the same spool directory; Kafka back. Every click whose 302
 * left before the victim's last spool write arrives exactly once; the ones after it are what a
 * kill -9 lost (counted, bounded by what the pipeline holds in memory).
 */
async function redirectorKilledDuringOutage(cluster) {
  const checks = new Checks();
  const [victim, terminated] = cluster.instances.redirector;
  const spoolDir = path.join(cluster.dir, 'spool', victim.name);
  const workspace = await workspaceWithLinks(gatewayPort(cluster), LINKS, 'killed');
  const load = redirectLoad(cluster, workspace).start();
  await sleep(2_000);
  await cluster.stopKafka();
  const stoppedAt = Date.now();
  await until(`${victim.name} spooled`, async () => (await cluster.metric(victim, 'hop_redirector_clicks_spooled_total')) > 0);
  const spooledAfterS = (Date.now() - stoppedAt) / 1000;
  const terminatedRestartS = await cluster.restart(terminated);
  await sleep(3_000);
  await cluster.crash(victim);
  const killedAt = Date.now();
  const lastSpoolWrite = Math.max(...fs.readdirSync(spoolDir).map((f) => fs.statSync(path.join(spoolDir, f)).mtimeMs));
  await sleep(2_000);
  const traffic = await load.stop();
  await cluster.launch(victim);
  await cluster.startKafka();

  const victimClicks = load.clickIds({ port: victim.port });
  const beforeLastWrite = new Set(load.clickIds({ port: victim.port, before: lastSpoolWrite }));
  const afterLastWrite = victimClicks.filter((id) => !beforeLastWrite.has(id));
  const expected = load.clickIds().filter((id) => !afterLastWrite.includes(id));
  const clicks = await compareClicks(cluster, workspace.workspaceId, expected, { timeoutMs: 180_000, allowed: afterLastWrite });
  const lost = afterLastWrite.length - clicks.allowedArrived;
  // Requests the victim was serving when it was killed fail (reset): no load balancer can save those.
  const resetByKill = load.resetByCrash(victim.port, killedAt);
  checks.equal('redirects failed, other than those reset by the kill -9', traffic.redirects.failed - resetByKill, 0);
  exactlyOnce(checks, clicks, { resetByKill });
  return {
    figures: {
      killed: victim.name,
      terminated: terminated.name,
      spooledAfterS,
      terminatedRestartS,
      victim: {
        served: victimClicks.length,
        answeredBeforeLastSpoolWrite: beforeLastWrite.size,
        answeredAfterLastSpoolWrite: afterLastWrite.length,
        msFromLastSpoolWriteToKill: Math.round(killedAt - lastSpoolWrite),
        lostToKill9: lost,
        requestsResetByKill9: resetByKill,
      },
      traffic,
      clicks,
      failures: load.failures,
    },
    failed: checks.failed,
  };
}

/**
 * Both projectors down; a link created then, whose route never reached Redis, still redirects
 * (the redirectors ask the link service) and is projected into Redis once they are back.
 */
async function projectorLag(cluster) {
  const checks = new Checks();
  const projectors = cluster.instances.projector;
  await Promise.all(projectors.map((p) => p.process.stop()));
  const workspace = await workspaceWithLinks(gatewayPort(cluster), 1, 'lag');
  const [shortId] = workspace.shortIds;
  // The link service also writes the route to Redis as it answers; drop that copy, so only the
  // fallback (now) and the projector (later) can serve it — as when that write failed.
  const redis = new Redis(harness.REDIS);
  const routeKey = `${cluster.redisPrefix}route:${shortId}`;
  await redis.del(routeKey);
  const fallbackBefore = await sumOver(cluster.instances.redirector, (i) => cluster.metric(i, 'hop_redirector_route_lookups_total{source="link-service"}'));
  const load = new Load({ redirectors: cluster.balancers.redirector, shortIds: [shortId], redirectRate: 10 }).start();
  await sleep(3_000);
  const traffic = await load.stop();
  const fallbackAfter = await sumOver(cluster.instances.redirector, (i) => cluster.metric(i, 'hop_redirector_route_lookups_total{source="link-service"}'));
  const inRedisWhileDown = (await redis.exists(routeKey)) === 1;
  const began = Date.now();
  await Promise.all(projectors.map((p) => cluster.launch(p)));
  let projectedAfterS = null;
  try {
    await until('route projected', async () => (await redis.exists(routeKey)) === 1, 60_000);
    projectedAfterS = (Date.now() - began) / 1000;
  } catch {
    /* reported below */
  }
  redis.disconnect();
  const clicks = await compareClicks(cluster, workspace.workspaceId, load.clickIds());
  checks.equal('redirects failed', traffic.redirects.failed, 0);
  checks.ok('some redirects were served', traffic.redirects.ok > 0);
  checks.ok('route absent from Redis while the projectors were down', !inRedisWhileDown);
  checks.ok('lookups answered by the link service', fallbackAfter > fallbackBefore);
  checks.ok('route projected into Redis once the projectors returned', projectedAfterS !== null);
  exactlyOnce(checks, clicks);
  return {
    figures: { traffic, linkServiceLookups: fallbackAfter - fallbackBefore, projectedAfterS, clicks, failures: load.failures },
    failed: checks.failed,
  };
}

async function sumOver(instances, read) {
  let sum = 0;
  for (const instance of instances) sum += (await read(instance)) ?? 0;
  return sum;
}

module.exports = {
  'consumer-dies': consumerDies,
  'rolling-restart': rollingRestart,
  'projector-lag': projectorLag,
  'redirector-killed-during-outage': redirectorKilledDuringOutage,
  'broker-restart': brokerRestart,
};
