'use strict';
/**
 * Shared by the analytics benchmarks: a realistic click stream, the analytics service in a child
 * process (built dist), signed calls to it, Kafka and PostgreSQL helpers.
 */
const { randomUUID } = require('node:crypto');
const harness = require('./lib/harness');

harness.requireBuilt(['services/analytics/dist/main.js', 'libs/http/dist/index.js', 'libs/events/dist/index.js']);
const events = require(harness.fromRoot('libs/events/dist'));

// ---- a deterministic, skewed click stream ------------------------------------------------------
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Picks from [value, weight] pairs. */
function weighted(pairs, random) {
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  const cumulative = [];
  let acc = 0;
  for (const [v, w] of pairs) cumulative.push([v, (acc += w / total)]);
  return () => {
    const r = random();
    for (const [v, c] of cumulative) if (r < c) return v;
    return cumulative[cumulative.length - 1][0];
  };
}

const COUNTRIES = [
  ['US', ['New York', 'Los Angeles', 'Chicago', 'Austin'], 30], ['GB', ['London', 'Manchester'], 8], ['DE', ['Berlin', 'Munich', 'Hamburg'], 8],
  ['FR', ['Paris', 'Lyon'], 6], ['IN', ['Mumbai', 'Delhi', 'Bengaluru'], 8], ['BR', ['São Paulo', 'Rio de Janeiro'], 5], ['JP', ['Tokyo', 'Osaka'], 4],
  ['CA', ['Toronto', 'Vancouver'], 4], ['AU', ['Sydney', 'Melbourne'], 3], ['ES', ['Madrid', 'Barcelona'], 3], ['IT', ['Rome', 'Milan'], 3],
  ['NL', ['Amsterdam'], 2], ['SE', ['Stockholm'], 1], ['MX', ['Mexico City'], 2], ['SA', ['Riyadh', 'Jeddah'], 2], ['AE', ['Dubai'], 2],
  ['EG', ['Cairo'], 2], ['NG', ['Lagos'], 1], ['KR', ['Seoul'], 2], ['ID', ['Jakarta'], 2], ['TR', ['Istanbul'], 1], ['PL', ['Warsaw'], 1],
];
const USER_AGENTS = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 30],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 10],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1', 25],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36', 15],
  ['Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36', 8],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0', 4],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15', 4],
  ['Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1', 2],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0', 2],
];
const REFERRERS = [[null, 40], ['https://www.google.com/', 20], ['https://t.co/x', 8], ['https://www.facebook.com/', 8], ['https://www.linkedin.com/feed/', 5],
  ['https://www.instagram.com/', 5], ['https://news.ycombinator.com/', 3], ['https://www.reddit.com/r/x', 3], ['https://duckduckgo.com/', 2], ['https://mail.google.com/', 6]];
const UTMS = [[null, 50], [{ source: 'google', medium: 'cpc', campaign: 'spring' }, 15], [{ source: 'newsletter', medium: 'email', campaign: 'weekly' }, 10],
  [{ source: 'twitter', medium: 'social', campaign: 'launch' }, 10], [{ source: 'partner', medium: 'affiliate', campaign: 'q2' }, 10], [{ source: 'facebook', medium: 'paid', campaign: 'retarget' }, 5]];

/**
 * `count` click.recorded events of one workspace over the `days` before now, in time order,
 * over `links` links (Zipf-like popularity, 30 % of them with one of 50 partners); `linkIds`
 * gives the links' ids (existing links) instead of random ones.
 */
function* clickStream({ workspaceId, count, days = 30, links = 1000, linkIds, seed = 7, chunk = 1_000 }) {
  const random = rng(seed);
  const partners = Array.from({ length: 50 }, () => randomUUID());
  const linkList = Array.from({ length: linkIds ? linkIds.length : links }, (_, i) => ({
    linkId: linkIds ? linkIds[i] : randomUUID(),
    shortId: `b${i.toString(36)}`,
    partnerId: random() < 0.3 ? partners[Math.floor(random() * partners.length)] : null,
  }));
  const link = weighted(linkList.map((l, i) => [l, 1 / (i + 1)]), random);
  const country = weighted(COUNTRIES.map(([code, cities, w]) => [[code, cities], w]), random);
  const ua = weighted(USER_AGENTS, random);
  const referrer = weighted(REFERRERS, random);
  const utm = weighted(UTMS, random);
  const end = Date.now() - 60_000;
  const start = end - days * 86_400_000;
  let batch = [];
  for (let i = 0; i < count; i++) {
    const l = link();
    const [code, cities] = country();
    const bot = random() < 0.03;
    const qr = random() < 0.1;
    batch.push(
      events.newEvent('click.recorded', workspaceId, {
        clickId: randomUUID(),
        linkId: l.linkId,
        shortId: l.shortId,
        partnerId: l.partnerId,
        tenantId: null,
        externalId: null,
        destination: `https://example.com/p/${l.shortId}`,
        referrer: referrer(),
        userAgent: bot ? 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' : ua(),
        ipHash: randomUUID().slice(0, 16),
        country: code,
        city: cities[Math.floor(random() * cities.length)],
        qr,
        bot,
        visitorId: `v${Math.floor(random() * count * 0.6)}`,
        visitorSessionId: null,
        utm: utm(),
        trigger: qr ? 'qr' : 'link',
        timestamp: new Date(start + ((end - start) * i) / count).toISOString(),
      }),
    );
    if (batch.length === chunk) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

// ---- Kafka ---------------------------------------------------------------------------------------
const kafka = () => harness.kafka('analytics-bench');

/** Produces every chunk of the stream to clicks.v1 (prefix), `parallel` sends in flight; returns seconds. */
async function produce(prefix, stream, parallel = 8) {
  const client = kafka();
  await events.ensureTopics(client, prefix, [{ topic: 'clicks' }, { topic: 'conversions' }]);
  const producers = Array.from({ length: parallel }, () => new events.EventProducer(client, prefix));
  const began = performance.now();
  let inFlight = [];
  let next = 0;
  for (const chunk of stream) {
    const producer = producers[next++ % parallel];
    inFlight.push(producer.sendRaw(events.topicName('clicks', prefix), chunk.map((e) => ({ key: e.data.linkId, value: JSON.stringify(e) }))));
    if (inFlight.length === parallel) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - began) / 1000;
  await Promise.all(producers.map((p) => p.disconnect()));
  return seconds;
}

// ---- the service -------------------------------------------------------------------------------
/** Starts services/analytics/dist/main.js; resolves with { url, stop } once it answers /readyz. */
async function startAnalytics({ database, prefix, env = {} }) {
  const service = await harness.startService('analytics', { database, kafkaPrefix: prefix, env: { DATABASE_POOL_SIZE: '20', ...env } });
  return service.ready('/readyz');
}

/** GET with the gateway's proof; returns { status, ms, total, body }. */
async function signedGet(baseUrl, pathAndQuery, workspaceId) {
  const headers = harness.signed(harness.contextHeaders({ workspaceId, scopes: ['analyticsRead'] }), 'GET', pathAndQuery);
  const began = performance.now();
  const response = await fetch(`${baseUrl}${pathAndQuery}`, { headers });
  const body = await response.json();
  return { status: response.status, ms: performance.now() - began, total: Number(response.headers.get('x-total-count')), body };
}

const storedClicks = async (url, workspaceId) => (await signedGet(url, '/api/analytics?take=1&includeBots=true', workspaceId)).total;

// ---- PostgreSQL and results --------------------------------------------------------------------
const dropDatabase = (database) => harness.dropDatabases([database]);

/** bench/results/<name>.json with the benchmark's name and the time first. */
const writeResult = (name, result) => harness.writeResult(name, { benchmark: name, at: new Date().toISOString(), ...result });

module.exports = {
  clickStream,
  produce,
  deleteTopics: harness.deleteTopics,
  kafka,
  events,
  startAnalytics,
  signedGet,
  storedClicks,
  sql: harness.sql,
  dropDatabase,
  writeResult,
  percentile: harness.percentile,
  fromAnalytics: harness.fromService('analytics'),
};
