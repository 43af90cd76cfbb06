#!/usr/bin/env node
// Black-box checks of a running compose stack, through its published ports only.
//   checks.js flow     create a link, follow it, see the click in /api/analytics, track a lead
//   checks.js trickle  steady API calls and redirects until SIGTERM; prints the failure counts
// Env: GATEWAY (http://127.0.0.1:8080), REDIRECTOR (http://127.0.0.1:8081), HOP_KEY (an all-scopes key),
// STATE (file: the flow writes the link's short key there, the trickle reads it).
// Prints one `check: <name> ok|FAILED …` line per check and `checks: N passed, N failed` at the end.
const fs = require('node:fs');

const gateway = process.env.GATEWAY ?? 'http://127.0.0.1:8080';
const redirector = process.env.REDIRECTOR ?? 'http://127.0.0.1:8081';
const key = process.env.HOP_KEY ?? '';
const stateFile = process.env.STATE ?? '/tmp/hop-compose-smoke.json';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

const api = (path, init = {}) =>
  fetch(gateway + path, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
    // generous: a shared, busy host answers slowly; the trickle counts failures, not latency
    signal: AbortSignal.timeout(90_000),
  });
const follow = (shortKey) =>
  fetch(`${redirector}/${shortKey}`, { redirect: 'manual', headers: { 'user-agent': BROWSER }, signal: AbortSignal.timeout(30_000) });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let passed = 0;
let failed = 0;
async function check(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    passed++;
    console.log(`check: ${name} ok (${Date.now() - t0} ms)${detail ? `: ${detail}` : ''}`);
    return true;
  } catch (e) {
    failed++;
    console.log(`check: ${name} FAILED: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}

async function expectStatus(res, ...ok) {
  if (ok.includes(res.status)) return res.status === 204 ? null : res.json();
  throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
}

async function flow() {
  let link;
  let clickId;
  let collectionId;
  await check('create a collection through the gateway', async () => {
    const res = await api('/api/collections', { method: 'POST', body: JSON.stringify([{ name: `smoke ${Date.now()}` }]) });
    const body = await expectStatus(res, 200, 201);
    collectionId = (Array.isArray(body) ? body[0] : (body.data?.[0] ?? body)).id;
    if (!collectionId) throw new Error(`no id in ${JSON.stringify(body)}`);
    return collectionId;
  });
  if (!collectionId) return;
  await check('create a link through the gateway', async () => {
    const res = await api('/api/links', { method: 'POST', body: JSON.stringify([{ collectionId, url: 'https://example.com/landing?from=smoke' }]) });
    const body = await expectStatus(res, 200, 201);
    const created = Array.isArray(body) ? body[0] : (body.data?.[0] ?? body);
    if (!created.shortUrl || !created.id) throw new Error(`no shortUrl/id in ${JSON.stringify(created)}`);
    link = { id: created.id, key: new URL(created.shortUrl).pathname.slice(1) };
    fs.writeFileSync(stateFile, JSON.stringify({ key: link.key, id: link.id }));
    return `${link.id} /${link.key}`;
  });
  if (!link) return;
  await check('follow the short link on the redirector', async () => {
    // the route reaches the redirector through Kafka and Redis (or the link service): allow it a moment
    for (let i = 0; ; i++) {
      const res = await follow(link.key);
      const location = res.headers.get('location');
      if ((res.status === 301 || res.status === 302) && location) {
        clickId = new URL(location).searchParams.get('hoko_id');
        if (!location.startsWith('https://example.com/landing')) throw new Error(`redirected to ${location}`);
        if (!clickId) throw new Error(`no click id in ${location}`);
        return `${res.status} → ${location}`;
      }
      if (i >= 50) throw new Error(`HTTP ${res.status} after ${i} tries`);
      await sleep(200);
    }
  });
  if (!clickId) return;
  await check('the click is in GET /api/analytics within 10 s', async () => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await api(`/api/analytics?linkId=${encodeURIComponent(link.id)}`);
      const body = await expectStatus(res, 200);
      if (JSON.stringify(body).includes(clickId)) return `click ${clickId}`;
      if (Date.now() > deadline) throw new Error(`click ${clickId} not listed after 10 s: ${JSON.stringify(body).slice(0, 300)}`);
      await sleep(250);
    }
  });
  await check('track a lead with the click id', async () => {
    const res = await api('/api/track/lead', {
      method: 'POST',
      body: JSON.stringify({ clickId, eventName: 'Sign up', customerExternalId: `smoke-${Date.now()}`, customerName: 'Smoke Test' }),
    });
    const body = await expectStatus(res, 200, 201);
    return JSON.stringify(body).slice(0, 120);
  });
}

/**
 * A steady trickle (every `HOP_TRICKLE_MS`, 100 ms by default) of redirects and API calls while
 * services are restarted around it. A redirect fails unless it is a 301/302; an API call fails on
 * anything but 2xx, except the gateway's documented retryable 503 (upstream unavailable), counted apart.
 */
async function trickle() {
  const { key: shortKey } = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  const every = Number(process.env.HOP_TRICKLE_MS ?? 100);
  const counts = { redirects: 0, redirectsFailed: 0, api: 0, apiFailed: 0, api503: 0 };
  const failures = [];
  let stopping = false;
  process.on('SIGTERM', () => (stopping = true));
  process.on('SIGINT', () => (stopping = true));
  const note = (what) => failures.length < 20 && failures.push(`${new Date().toISOString()} ${what}`);
  const one = async (i) => {
    if (i % 2 === 0) {
      counts.redirects++;
      try {
        const res = await follow(shortKey);
        await res.arrayBuffer();
        if (res.status !== 301 && res.status !== 302) {
          counts.redirectsFailed++;
          note(`redirect HTTP ${res.status}`);
        }
      } catch (e) {
        counts.redirectsFailed++;
        note(`redirect ${e.cause?.code ?? e.message}`);
      }
    } else {
      counts.api++;
      try {
        const res = await api('/api/links');
        const body = await res.text();
        if (res.status === 503) {
          counts.api503++;
          note(`api 503 ${body.slice(0, 80)}`);
        } else if (res.status < 200 || res.status > 299) {
          counts.apiFailed++;
          note(`api HTTP ${res.status} ${body.slice(0, 80)}`);
        }
      } catch (e) {
        counts.apiFailed++;
        note(`api ${e.cause?.code ?? e.message}`);
      }
    }
  };
  const inFlight = new Set();
  for (let i = 0; !stopping; i++) {
    const p = one(i).finally(() => inFlight.delete(p));
    inFlight.add(p);
    await sleep(every);
  }
  await Promise.all(inFlight);
  for (const f of failures) console.log(`trickle: ${f}`);
  console.log(
    `trickle: ${counts.redirects} redirects, ${counts.redirectsFailed} failed; ` +
      `${counts.api} API calls, ${counts.apiFailed} failed, ${counts.api503} answered with the retryable 503`,
  );
  fs.writeFileSync(`${stateFile}.trickle`, JSON.stringify(counts));
}

const mode = process.argv[2];
(mode === 'trickle' ? trickle() : flow()).then(
  () => {
    if (mode !== 'trickle') console.log(`checks: ${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  },
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
