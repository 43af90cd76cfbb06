'use strict';
/**
 * Steady load as visitors and API clients behind a load balancer make it: redirects spread over
 * the redirectors, API calls over the gateways (Balancer.pick: a refused connection goes to the
 * next instance, nothing else is retried). Every request is a new connection, so an instance
 * that stopped listening refuses instead of leaving a request on a half-closed socket.
 *
 * Records the click id (`hoko_id` of the 302's Location) of every redirect served, with the
 * instance that served it and when its response arrived; counts failures by kind.
 */
const http = require('node:http');

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
/** Above the gateway's own UPSTREAM_TIMEOUT_MS (30 s), after which it answers 503 itself. */
const TIMEOUT_MS = 60_000;
const KEPT_FAILURES = 10;

/** One HTTP request on a fresh connection; resolves { status, headers, body }. */
function request(port, method, path, headers = {}, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false, timeout: TIMEOUT_MS }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

const clickIdOf = (location) => {
  try {
    return new URL(location).searchParams.get('hoko_id');
  } catch {
    return null;
  }
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The documented retryable answer of the gateway: 503 UPSTREAM_UNAVAILABLE (see docs). */
const retryable503 = (res) => res.status === 503 && /temporarily unavailable/i.test(res.body);

class Load {
  /**
   * `redirectors`, `gateways`: Balancers. `shortIds`: what visitors open. `api`: { headers, calls }
   * where calls are [method, path, body?] taken in turn. Rates are requests per second overall.
   */
  constructor({ redirectors, gateways, shortIds, api, redirectRate = 60, apiRate = 8 }) {
    Object.assign(this, { redirectors, gateways, shortIds, api, redirectRate, apiRate });
    /** clickId → { port, at } */
    this.clicks = new Map();
    this.redirects = { ok: 0, failed: 0 };
    this.calls = { ok: 0, retryable503: 0, failed: 0 };
    this.failures = [];
    /** When each retryable 503 came. */
    this.retryable503At = [];
    /** Every failed redirect: { port (of the instance that failed it, when one did), at, code }. */
    this.failedRedirects = [];
    this.running = false;
    this.workers = [];
    this.redirectTurn = 0;
    this.callTurn = 0;
    this.slowestCallMs = 0;
  }

  start() {
    this.running = true;
    this.startedAt = Date.now();
    this.refusedBefore = this.refused();
    const workers = (rate, perWorker, task) => {
      const count = Math.max(1, Math.ceil(rate / perWorker));
      for (let i = 0; i < count; i++) this.workers.push(this.paced(rate / count, task));
    };
    workers(this.redirectRate, 15, () => this.redirect());
    if (this.api && this.apiRate > 0) workers(this.apiRate, 4, () => this.call());
    return this;
  }

  /** Stops sending; resolves once every request in flight has its outcome. Returns the figures. */
  async stop() {
    this.running = false;
    await Promise.all(this.workers);
    this.workers = [];
    return this.figures();
  }

  figures() {
    return {
      seconds: Math.round((Date.now() - this.startedAt) / 100) / 10,
      redirects: { ...this.redirects },
      apiCalls: { ...this.calls },
      refusedAndSentElsewhere: this.refused() - this.refusedBefore,
      slowestApiCallMs: this.slowestCallMs,
    };
  }

  refused() {
    return this.redirectors.refused + (this.gateways?.refused ?? 0);
  }

  async paced(rate, task) {
    const interval = 1000 / rate;
    // Workers start spread over one interval, so requests do not arrive in bursts.
    await sleep(Math.random() * interval);
    while (this.running) {
      const began = Date.now();
      await task();
      await sleep(Math.max(0, interval - (Date.now() - began)));
    }
  }

  fail(kind, detail) {
    if (this.failures.length < KEPT_FAILURES) this.failures.push(`${kind}: ${detail}`);
  }

  async redirect() {
    const shortId = this.shortIds[this.redirectTurn++ % this.shortIds.length];
    try {
      const { port, res } = await this.redirectors.pick(async (instance) => {
        try {
          return { port: instance.port, res: await request(instance.port, 'GET', `/${shortId}`, { 'user-agent': UA }) };
        } catch (err) {
          err.port = instance.port;
          throw err;
        }
      });
      const clickId = res.status === 302 && clickIdOf(res.headers.location);
      if (!clickId) throw new Error(`${res.status} ${res.headers.location ?? res.body.slice(0, 200)}`);
      this.clicks.set(clickId, { port, at: Date.now() });
      this.redirects.ok++;
    } catch (err) {
      this.redirects.failed++;
      this.failedRedirects.push({ port: err.port, at: Date.now(), code: err.code ?? err.message });
      this.fail('redirect', err.code ?? err.message);
    }
  }

  async call() {
    const [method, path, body] = this.api.calls[this.callTurn++ % this.api.calls.length];
    const payload = typeof body === 'function' ? JSON.stringify(body()) : undefined;
    const began = Date.now();
    try {
      const res = await this.gateways.pick((instance) =>
        request(instance.port, method, path, { ...this.api.headers, ...(payload ? { 'content-type': 'application/json' } : {}) }, payload),
      );
      if (res.status >= 200 && res.status < 300) this.calls.ok++;
      else if (retryable503(res)) {
        this.calls.retryable503++;
        this.retryable503At.push(Date.now());
      }
      else throw new Error(`${method} ${path} → ${res.status} ${res.body.slice(0, 200)}`);
    } catch (err) {
      this.calls.failed++;
      this.fail('api', `${new Date(began).toISOString()} ${method} ${path}: ${err.code ?? err.message}`);
    } finally {
      this.slowestCallMs = Math.max(this.slowestCallMs, Date.now() - began);
    }
  }

  /** Failed redirects that are requests reset by a crash of the instance on `port` at `at` (within `withinMs`). */
  resetByCrash(port, at, withinMs = 2_000) {
    return this.failedRedirects.filter((f) => f.port === port && Math.abs(f.at - at) <= withinMs && /ECONNRESET|socket hang up/.test(f.code)).length;
  }

  /** Click ids served by the instance on `port` (all when omitted), optionally only those answered before `before`. */
  clickIds({ port, before = Infinity } = {}) {
    return [...this.clicks].filter(([, c]) => (port === undefined || c.port === port) && c.at < before).map(([id]) => id);
  }
}

module.exports = { Load, request, UA };
