import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { TestInfra, eventually } from '@hop/testing';
import { loadWebhookConfig } from '../src/config';
import { Receiver, call, devWebhookEnv, startDnsServer, startWebhook, type Json } from './support';

/**
 * The subscription API and the delivery mechanics it drives, with sample events (POST …/test):
 * signatures checked by the `standardwebhooks` library in a real receiver, rotation, the log,
 * redelivery, 410 and repeated failures turning a subscription off, re-enabling, SSRF refusals
 * at creation and at delivery, timeouts and the per-subscription cap.
 */
const infra = new TestInfra();
let webhook: Awaited<ReturnType<typeof startWebhook>>;
const receiver = new Receiver();
const WS = randomUUID();
const OTHER_WS = randomUUID();
const ENV = devWebhookEnv({
  LINK_URL: 'http://127.0.0.1:9',
  WEBHOOK_RETRY_BASE_MS: '200',
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_DISABLE_AFTER_FAILURES: '2',
  WEBHOOK_TIMEOUT_MS: '1500',
  WEBHOOK_SUBSCRIPTION_CONCURRENCY: '2',
});

beforeAll(async () => {
  await receiver.up();
  webhook = await startWebhook(infra, ENV);
}, 60_000);

afterAll(async () => {
  await webhook?.close();
  await receiver.down();
  await infra.cleanup();
});

const api = (method: string, url: string, body?: unknown, workspaceId = WS) => call(webhook.url, method, url, { workspaceId, body });

async function subscribe(overrides: Record<string, unknown> = {}, url = receiver.url): Promise<Json> {
  const reply = await api('POST', '/api/webhooks', [{ name: 'Orders', url, events: ['link.clicked', 'lead.created'], ...overrides }]);
  expect(reply.status).toBe(201);
  receiver.secrets.add(reply.body[0].secret);
  return reply.body[0];
}

/** A bare HTTP server for receivers that misbehave (never answer, answer too much). */
async function rawServer(handle: http.RequestListener) {
  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A query straight to the service's database (rows written or read behind the API's back). */
async function dbQuery(text: string, params: unknown[] = [], on = infra) {
  const client = new Client({ connectionString: on.databaseUrl('webhook') });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * `count` deliveries recorded straight into the database, as a backlog is (no hand-over to the
 * dispatcher: only a claim finds them), due from `dueAgo` ago on, 1 ms apart; their ids.
 */
async function recordBacklog(subscriptionId: string, eventPrefix: string, count: number, dueAgo: string, on = infra): Promise<string[]> {
  const rows = await dbQuery(
    `INSERT INTO deliveries (id, subscription_id, workspace_id, event_id, event_type, occurred_at, body, next_attempt_at)
     SELECT gen_random_uuid(), $1, $2, $3 || n, 'link.clicked', now(),
       '{"type":"link.clicked","timestamp":"2030-01-01T00:00:00.000Z","data":{}}', now() - $4::interval + n * interval '1 ms'
     FROM generate_series(1, $5::int) n RETURNING id`,
    [subscriptionId, WS, eventPrefix, dueAgo, count],
    on,
  );
  return rows.map((r: { id: string }) => r.id);
}

const deliveries = async (id: string, query = '') => (await api('GET', `/api/webhooks/${id}/deliveries${query}`)).body as Json[];

describe('subscriptions', () => {
  it('creates in a batch, returns the whsec_ secret once, lists without it', async () => {
    const reply = await api('POST', '/api/webhooks', [
      { name: 'A', url: 'https://93.184.215.14/a', events: ['link.created'] },
      { name: 'B', url: 'https://93.184.215.14/b', events: ['sale.created'], collectionIds: [randomUUID()], active: false },
    ]);
    expect(reply.status).toBe(201);
    expect(reply.body).toHaveLength(2);
    for (const created of reply.body) expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(reply.body[1]).toMatchObject({ name: 'B', active: false, disabledReason: null, linkIds: [] });

    const one = await api('GET', `/api/webhooks/${reply.body[0].id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('secret');
    expect(one.body).toEqual({ ...reply.body[0], secret: undefined, updatedAt: expect.any(String) });
    const list = await api('GET', `/api/webhooks?id=${reply.body[0].id}&id=${reply.body[1].id}`);
    expect(list.headers.get('x-total-count')).toBe('2');
    expect(list.body.map((s: Json) => s.name).sort()).toEqual(['A', 'B']);
    expect(list.body.every((s: Json) => !('secret' in s))).toBe(true);
  });

  it('refuses bad items with every problem named, in both languages', async () => {
    const reply = await api('POST', '/api/webhooks', [
      { name: 'ok', url: 'https://93.184.215.14', events: ['link.created'] },
      { name: '', url: 'not a url', events: ['link.exploded'] },
      { url: 'https://93.184.215.14' },
    ]);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({ en: 'Invalid request', ar: 'طلب غير صالح' });
    expect(reply.body.details.map((d: Json) => d.path).sort()).toEqual(['[1].events.0', '[1].name', '[1].url', '[2].events', '[2].name']);
    const badId = await api('GET', '/api/webhooks/not-a-uuid/deliveries');
    expect(badId.status).toBe(400);
    expect(badId.body.details).toEqual([expect.objectContaining({ path: 'id', message: 'must be a valid GUID' })]);
  });

  it('updates only the given fields, and 400s on an unknown id naming it', async () => {
    const created = await subscribe();
    const updated = await api('PUT', '/api/webhooks', [{ id: created.id, name: 'Renamed', linkIds: [randomUUID()] }]);
    expect(updated.status).toBe(200);
    expect(updated.body[0]).toMatchObject({ id: created.id, name: 'Renamed', url: created.url, events: created.events });
    expect(updated.body[0]).not.toHaveProperty('secret');
    const missing = randomUUID();
    const reply = await api('PUT', '/api/webhooks', [{ id: missing, name: 'x' }]);
    expect(reply.status).toBe(400);
    expect(reply.body.error.en).toBe(`Webhook not found in your workspace: ${missing}`);
    expect(reply.body.details).toEqual([{ path: '[0].id', index: 0, field: 'id', message: `Webhook ${missing} not found in your workspace` }]);
  });

  it('keeps workspaces apart', async () => {
    const created = await subscribe();
    expect((await api('GET', `/api/webhooks/${created.id}`, undefined, OTHER_WS)).status).toBe(404);
    expect((await api('GET', `/api/webhooks/${created.id}/deliveries`, undefined, OTHER_WS)).status).toBe(404);
    expect((await api('POST', `/api/webhooks/${created.id}/test`, {}, OTHER_WS)).status).toBe(404);
    expect((await api('PUT', '/api/webhooks', [{ id: created.id, name: 'stolen' }], OTHER_WS)).status).toBe(400);
    expect((await api('DELETE', '/api/webhooks', [created.id], OTHER_WS)).status).toBe(400);
    expect((await api('GET', '/api/webhooks', undefined, OTHER_WS)).body).toEqual([]);
    expect((await api('GET', `/api/webhooks/${created.id}`)).body.name).toBe('Orders');
  });

  it('deletes all or nothing', async () => {
    const created = await subscribe();
    const unknown = randomUUID();
    expect((await api('DELETE', '/api/webhooks', [created.id, unknown])).status).toBe(400);
    expect((await api('DELETE', '/api/webhooks', [created.id])).body).toEqual({ deletedIds: [created.id] });
    expect((await api('GET', `/api/webhooks/${created.id}`)).status).toBe(404);
  });
});

describe('deliveries', () => {
  it('sends a signed test event the standardwebhooks library verifies, and logs it', async () => {
    const created = await subscribe();
    const queued = await api('POST', `/api/webhooks/${created.id}/test`, { type: 'lead.created' });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ eventType: 'lead.created', state: 'pending', attempt: 0 });
    const got = await eventually(() => receiver.received.find((r) => r.id === queued.body.id));
    expect(got.verifiedWith).toEqual([created.secret]);
    expect(got.body).toMatchObject({ type: 'lead.created', data: { click: { id: expect.any(String) }, customer: { externalId: 'customer_123' }, lead: { eventName: 'Sign up' } } });
    expect(Object.keys(got.body).sort()).toEqual(['data', 'timestamp', 'type']);

    const [logged] = await eventually(async () => {
      const list = await deliveries(created.id, '?state=delivered');
      return list.length ? list : null;
    });
    expect(logged).toMatchObject({ id: queued.body.id, eventType: 'lead.created', attempt: 1, responseStatus: 200, responseBody: `got ${queued.body.id}`, error: null, nextAttemptAt: null });
    expect(logged.durationMs).toBeGreaterThanOrEqual(0);
    expect(logged.attempts).toEqual([
      { attempt: 1, requestedAt: logged.requestedAt, durationMs: logged.durationMs, responseStatus: 200, responseBody: `got ${queued.body.id}`, error: null },
    ]);
    expect((await deliveries(created.id, '?eventType=sale.created'))).toEqual([]);
    expect((await deliveries(created.id, `?eventId=${logged.eventId}`)).map((d) => d.id)).toEqual([logged.id]);
  });

  it('redelivers with the same webhook-id', async () => {
    const created = await subscribe();
    const queued = await api('POST', `/api/webhooks/${created.id}/test`, { type: 'link.clicked' });
    await eventually(() => receiver.received.find((r) => r.id === queued.body.id));
    const retried = await api('POST', `/api/webhooks/${created.id}/deliveries/${queued.body.id}/retry`);
    expect(retried.status).toBe(202);
    await eventually(() => receiver.received.filter((r) => r.id === queued.body.id).length === 2);
    const [first, second] = receiver.received.filter((r) => r.id === queued.body.id);
    expect(second!.rawBody).toBe(first!.rawBody);
    // the body is written once, apart from the row that claims and outcomes rewrite
    const stored = await dbQuery(
      `SELECT d.body AS "onRow", b.body FROM deliveries d JOIN delivery_bodies b ON b.delivery_id = d.id WHERE d.id = $1`,
      [queued.body.id],
    );
    expect(stored).toEqual([{ onRow: null, body: first!.rawBody }]);
    expect(second!.verifiedWith).toEqual([created.secret]);
    // both attempts in the log: the first moved there when the second's outcome replaced it on the delivery
    const logged: Json = await eventually(async () => {
      const [delivery] = await deliveries(created.id, `?eventId=${retried.body.eventId}`);
      return delivery?.attempts.length === 2 && delivery.state === 'delivered' ? delivery : null;
    });
    expect(logged.attempts.map((a: Json) => [a.attempt, a.responseStatus])).toEqual([[1, 200], [2, 200]]);
    expect(logged.attempts[1].requestedAt).toBe(logged.requestedAt);
    expect((await api('POST', `/api/webhooks/${created.id}/deliveries/${randomUUID()}/retry`)).status).toBe(404);
  });

  it('signs with the old and the new secret during a rotation grace period, then with the new one only', async () => {
    const created = await subscribe();
    const rotated = await api('POST', `/api/webhooks/${created.id}/rotate-secret`, { graceSeconds: 3600 });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt)).toBeGreaterThan(Date.now() + 3_500_000);
    receiver.secrets.add(rotated.body.secret);
    const during = await api('POST', `/api/webhooks/${created.id}/test`, {});
    const gotDuring = await eventually(() => receiver.received.find((r) => r.id === during.body.id));
    expect(gotDuring.verifiedWith.sort()).toEqual([created.secret, rotated.body.secret].sort());
    expect(gotDuring.signature.split(' ')).toHaveLength(2);

    const again = await api('POST', `/api/webhooks/${created.id}/rotate-secret`, { graceSeconds: 0 });
    receiver.secrets.add(again.body.secret);
    const after = await api('POST', `/api/webhooks/${created.id}/test`, {});
    const gotAfter = await eventually(() => receiver.received.find((r) => r.id === after.body.id));
    expect(gotAfter.verifiedWith).toEqual([again.body.secret]);
  });

  it('turns the subscription off when the receiver answers 410, and resumes what is pending when it is turned on', async () => {
    const gone = new Receiver();
    await gone.up();
    gone.answer = () => 410;
    try {
      const created = await subscribe({}, gone.url);
      const queued = await api('POST', `/api/webhooks/${created.id}/test`, {});
      const off = await eventually(async () => {
        const s = (await api('GET', `/api/webhooks/${created.id}`)).body;
        return s.active ? null : s;
      });
      expect(off.disabledReason).toBe('The receiver answered 410 Gone');
      const [pending] = await deliveries(created.id);
      expect(pending).toMatchObject({ id: queued.body.id, state: 'pending', responseStatus: 410, nextAttemptAt: null });

      gone.answer = () => 204;
      const on = await api('PUT', '/api/webhooks', [{ id: created.id, active: true }]);
      expect(on.body[0]).toMatchObject({ active: true, disabledReason: null });
      await eventually(async () => (await deliveries(created.id, '?state=delivered')).length === 1);
      expect(gone.received.filter((r) => r.id === queued.body.id)).toHaveLength(2);
    } finally {
      await gone.down();
    }
  });

  it('retries failures on the schedule and turns the subscription off after N deliveries failed every attempt', async () => {
    const failing = new Receiver();
    await failing.up();
    failing.answer = () => 500;
    try {
      const created = await subscribe({}, failing.url);
      const first = await api('POST', `/api/webhooks/${created.id}/test`, {});
      const second = await api('POST', `/api/webhooks/${created.id}/test`, {});
      const off = await eventually(async () => {
        const s = (await api('GET', `/api/webhooks/${created.id}`)).body;
        return s.active ? null : s;
      });
      expect(off.disabledReason).toBe('2 deliveries in a row failed every attempt (last: HTTP 500)');
      for (const id of [first.body.id, second.body.id]) {
        const attempts = failing.received.filter((r) => r.id === id);
        expect(attempts).toHaveLength(3);
        // 200 ms ±20 %, then 600 ms ±20 %
        expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(150);
        expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(450);
      }
      const failed = await deliveries(created.id, '?state=failed');
      expect(failed.map((d) => d.attempt)).toEqual([3, 3]);
      // the log keeps every attempt, not only the last
      for (const delivery of failed) {
        expect(delivery.attempts.map((a: Json) => [a.attempt, a.responseStatus])).toEqual([[1, 500], [2, 500], [3, 500]]);
        expect(delivery.attempts[2].requestedAt).toBe(delivery.requestedAt);
      }
    } finally {
      await failing.down();
    }
  });

  it('gives up on a receiver that does not answer in time, keeps 1 KB of long answers', async () => {
    const hanging = await rawServer(() => undefined);
    const talkative = await rawServer((_req, res) => res.end('x'.repeat(5 * 1024 * 1024)));
    try {
      const silent = await subscribe({}, hanging.url);
      const queued = await api('POST', `/api/webhooks/${silent.id}/test`, {});
      const [timedOut] = await eventually(async () => {
        const list = await deliveries(silent.id);
        return list[0]?.error ? list : null;
      });
      expect(timedOut).toMatchObject({ id: queued.body.id, error: 'The receiver did not answer in time', responseStatus: null, state: 'pending' });

      const long = await subscribe({}, talkative.url);
      await api('POST', `/api/webhooks/${long.id}/test`, {});
      const [logged] = await eventually(async () => {
        const list = await deliveries(long.id, '?state=delivered');
        return list.length ? list : null;
      });
      expect(logged.responseBody).toBe('x'.repeat(1024));
    } finally {
      await hanging.close();
      await talkative.close();
    }
  });

  it('caps attempts in flight per subscription, so a stuck receiver does not hold up the others', async () => {
    let open = 0;
    let most = 0;
    const stuck = await rawServer((req) => {
      open++;
      most = Math.max(most, open);
      req.on('close', () => open--);
    });
    try {
      const slowSub = await subscribe({}, stuck.url);
      const fastSub = await subscribe();
      for (let i = 0; i < 6; i++) await api('POST', `/api/webhooks/${slowSub.id}/test`, {});
      await eventually(() => open === 2);
      const fast = await api('POST', `/api/webhooks/${fastSub.id}/test`, {});
      await eventually(() => receiver.received.find((r) => r.id === fast.body.id));
      expect(most).toBe(2);
    } finally {
      await stuck.close();
    }
  });

  it('claims a backlog without waiting for the poll: 300 due deliveries through a hold of 16, the poll 60 s away', async () => {
    const sub = await subscribe();
    // Recorded while no instance runs: the restarted one finds them all due.
    await webhook.close();
    const ids = new Set(await recordBacklog(sub.id, 'backlog-', 300, '1 second'));
    // The start claims once; every later claim must come from attempts ending (concurrency 2: holds of 16).
    webhook = await startWebhook(infra, { ...ENV, WEBHOOK_POLL_MS: '60000' });
    try {
      await eventually(() => receiver.received.filter((r) => ids.has(r.id)).length === 300, 15_000);
    } finally {
      await webhook.close();
      webhook = await startWebhook(infra, ENV);
    }
  });

  it('deletes finished deliveries past retention, with their attempts and bodies, as an instance starts; pending and recent ones stay', async () => {
    const sub = await subscribe();
    const [oldDone, oldPending, recentDone] = [randomUUID(), randomUUID(), randomUUID()];
    await webhook.close();
    try {
      await dbQuery(
        `WITH rows AS (
           INSERT INTO deliveries (id, subscription_id, workspace_id, event_id, event_type, occurred_at, state, attempts, next_attempt_at, created_at)
           VALUES ($1, $4, $5, 'retention-1', 'link.clicked', now(), 'delivered', 1, NULL, now() - interval '31 days'),
                  ($2, $4, $5, 'retention-2', 'link.clicked', now(), 'pending', 0, now() + interval '1 hour', now() - interval '31 days'),
                  ($3, $4, $5, 'retention-3', 'link.clicked', now(), 'delivered', 1, NULL, now() - interval '29 days')
           RETURNING id, workspace_id),
         bodies AS (INSERT INTO delivery_bodies (delivery_id, body) SELECT id, '{}' FROM rows)
         INSERT INTO delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms) SELECT id, 1, workspace_id, now(), 1 FROM rows`,
        [oldDone, oldPending, recentDone, sub.id, WS],
      );
    } finally {
      webhook = await startWebhook(infra, ENV);
    }
    const left = (table: string, column: string) =>
      dbQuery(`SELECT ${column} AS id FROM ${table} WHERE ${column} = ANY($1::uuid[]) ORDER BY 1`, [[oldDone, oldPending, recentDone]]).then((rows) =>
        rows.map((r: { id: string }) => r.id),
      );
    const kept = [oldPending, recentDone].sort();
    await eventually(async () => (await left('deliveries', 'id')).length === 2);
    expect(await left('deliveries', 'id')).toEqual(kept);
    expect(await left('delivery_attempts', 'delivery_id')).toEqual(kept);
    expect(await left('delivery_bodies', 'delivery_id')).toEqual(kept);
  });

  it("claims each subscription's due deliveries apart: 5,000 due for a stuck receiver do not hide another subscription's", async () => {
    const stuck = await rawServer(() => undefined);
    try {
      const slowSub = await subscribe({}, stuck.url);
      const fastSub = await subscribe();
      // Due before anything else: more than a claim would read if it went by due time alone.
      await recordBacklog(slowSub.id, 'backlog-', 5000, '1 hour');
      const [fast] = await recordBacklog(fastSub.id, 'fast-', 1, '1 second');
      const got = await eventually(() => receiver.received.find((r) => r.id === fast), 10_000);
      expect(got.verifiedWith).toHaveLength(1);
      // the stuck receiver still holds no more than its cap
      expect((await dbQuery(`SELECT count(*)::int AS n FROM deliveries WHERE subscription_id = $1 AND attempts > 0`, [slowSub.id]))[0].n).toBeLessThanOrEqual(
        8 * 2,
      );
    } finally {
      await stuck.close();
    }
  });
});

describe('holds beyond the lease', () => {
  const holdInfra = new TestInfra();
  let instance: Awaited<ReturnType<typeof startWebhook>>;

  beforeAll(async () => {
    // leases of 14 s (9 attempts of 1 s, and 5 s); a subscription holds 8 deliveries, up to 32 at a good pace
    instance = await startWebhook(holdInfra, devWebhookEnv({ LINK_URL: 'http://127.0.0.1:9', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_SUBSCRIPTION_CONCURRENCY: '1' }));
  }, 60_000);
  afterAll(async () => {
    await instance?.close();
    await holdInfra.cleanup();
  });

  const releasedForLease = async () => {
    const text = await (await fetch(`${instance.url}/metrics`)).text();
    return Number(/^hop_webhook_released_total\{[^}]*reason="lease"[^}]*\} (\d+)$/m.exec(text)?.[1] ?? 0);
  };

  it('hands back unattempted what it holds past its lease when the receiver stops answering: all delivered, no attempt counted that was not made', async () => {
    let answering = true;
    const answered = new Set<string>();
    const flaky = await rawServer((req, res) => {
      if (!answering) return;
      answered.add(String(req.headers['webhook-id']));
      res.writeHead(204).end();
    });
    try {
      const reply = await call(instance.url, 'POST', '/api/webhooks', { workspaceId: WS, body: [{ name: 'flaky', url: flaky.url, events: ['link.clicked'] }] });
      expect(reply.status).toBe(201);
      const ids = await recordBacklog(reply.body[0].id, 'hold-', 2000, '1 second', holdInfra);
      // a pace that grows the hold to 32, then a receiver that does not answer: one attempt a second,
      // so what is held past the 14th second cannot be attempted inside its lease
      await eventually(() => answered.size >= 1000, 30_000);
      const before = await releasedForLease();
      answering = false;
      // past the lease of everything held when the receiver stopped answering
      await new Promise((resolve) => setTimeout(resolve, 17_000));
      // none counted as attempted, never attempted, and due again (a lease that lapsed where it waited)
      const [{ lapsed }] = await dbQuery(
        `SELECT count(*)::int AS lapsed FROM deliveries d
         WHERE state = 'pending' AND next_attempt_at <= now() AND attempts > 0 AND outcome_attempt IS NULL
           AND NOT EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = d.id)`,
        [],
        holdInfra,
      );
      expect(lapsed).toBe(0);
      expect(await releasedForLease()).toBeGreaterThan(before);
      answering = true;
      await eventually(async () => (await dbQuery(`SELECT count(*)::int AS n FROM deliveries WHERE state = 'delivered'`, [], holdInfra))[0].n === ids.length, 60_000);
      // every attempt counted on a delivery was made and logged: a claim handed back does not count
      const [{ uncounted }] = await dbQuery(
        `SELECT count(*)::int AS uncounted FROM deliveries d
         WHERE d.attempts <> (SELECT count(*) FROM delivery_attempts a WHERE a.delivery_id = d.id AND a.attempt <> d.outcome_attempt) + 1`,
        [],
        holdInfra,
      );
      expect(uncounted).toBe(0);
    } finally {
      await flaky.close();
    }
  }, 150_000);
});

describe('destinations (SSRF)', () => {
  let production: Awaited<ReturnType<typeof startWebhook>>;
  const prodInfra = new TestInfra();

  beforeAll(async () => {
    production = await startWebhook(prodInfra, { LINK_URL: 'http://127.0.0.1:9', WEBHOOK_POLL_MS: '100' });
  }, 60_000);
  afterAll(async () => {
    await production?.close();
    await prodInfra.cleanup();
  });

  it.each([
    ['https://localhost/hooks', 'localhost resolves to'],
    ['https://127.0.0.1/hooks', '127.0.0.1 resolves to 127.0.0.1, a loopback address'],
    ['https://10.1.2.3/', '10.1.2.3 resolves to 10.1.2.3, a private address'],
    ['https://100.64.0.1/', 'a shared (CGNAT) address'],
    ['https://169.254.169.254/latest/meta-data', 'a link-local (cloud metadata) address'],
    ['https://[::1]/', '::1 resolves to ::1, a loopback address'],
    ['https://[::ffff:192.168.1.1]/', 'a private address'],
    ['https://[fd00::1]/', 'a private (unique local) address'],
    ['http://example.com/', 'must be an https URL'],
  ])('refuses %s by default', async (url, reason) => {
    const reply = await call(production.url, 'POST', '/api/webhooks', { workspaceId: WS, body: [{ name: 'x', url, events: ['link.clicked'] }] });
    expect(reply.status).toBe(400);
    expect(reply.body.details).toEqual([expect.objectContaining({ path: '[0].url', message: expect.stringContaining(reason) })]);
  });

  it('re-checks at delivery: a name resolving to 127.0.0.1 is refused when the deployment does not allow loopback', async () => {
    // Created where loopback is allowed (same kind of database), then delivered by an instance that refuses it.
    const sameDb = await startWebhook(prodInfra, devWebhookEnv({ LINK_URL: 'http://127.0.0.1:9', WEBHOOK_CONCURRENCY: '1' }));
    let id: string;
    try {
      const created = await call(sameDb.url, 'POST', '/api/webhooks', {
        workspaceId: WS,
        body: [{ name: 'rebinding', url: `http://localhost:${receiver.port}/hooks`, events: ['link.clicked'], active: false }],
      });
      expect(created.status).toBe(201);
      id = created.body[0].id;
    } finally {
      await sameDb.close();
    }
    const before = receiver.received.length;
    await call(production.url, 'PUT', '/api/webhooks', { workspaceId: WS, body: [{ id, active: true }] }).then((r) =>
      // the update re-checks the URL only when it changes; turning it on is allowed
      expect(r.status).toBe(200),
    );
    await call(production.url, 'POST', `/api/webhooks/${id}/test`, { workspaceId: WS, body: {} });
    const [attempted] = await eventually(async () => {
      const list = (await call(production.url, 'GET', `/api/webhooks/${id}/deliveries`, { workspaceId: WS })).body as Json[];
      return list[0]?.error ? list : null;
    });
    expect(attempted.error).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address, which this deployment does not allow$/);
    expect(attempted.responseStatus).toBeNull();
    expect(receiver.received.length).toBe(before);
  });

  it('asks a real DNS server: refuses a name resolving to 127.0.0.1, and one that rebinds to it after creation', async () => {
    const answers = new Map([
      ['loopback.rebind.test', '127.0.0.1'],
      ['public.rebind.test', '93.184.215.14'],
    ]);
    const dns = await startDnsServer(answers);
    const dnsInfra = new TestInfra();
    const guarded = await startWebhook(dnsInfra, { LINK_URL: 'http://127.0.0.1:9', WEBHOOK_POLL_MS: '100', WEBHOOK_DNS_SERVERS: dns.server });
    try {
      const post = (url: string) => call(guarded.url, 'POST', '/api/webhooks', { workspaceId: WS, body: [{ name: 'x', url, events: ['link.clicked'] }] });
      const refused = await post('https://loopback.rebind.test/hooks');
      expect(refused.status).toBe(400);
      expect(refused.body.details[0].message).toBe('loopback.rebind.test resolves to 127.0.0.1, a loopback address, which this deployment does not allow');

      const created = await post('https://public.rebind.test/hooks');
      expect(created.status).toBe(201);
      answers.set('public.rebind.test', '127.0.0.1');
      const id = created.body[0].id;
      await call(guarded.url, 'POST', `/api/webhooks/${id}/test`, { workspaceId: WS, body: {} });
      const [attempted] = await eventually(async () => {
        const list = (await call(guarded.url, 'GET', `/api/webhooks/${id}/deliveries`, { workspaceId: WS })).body as Json[];
        return list[0]?.error ? list : null;
      });
      expect(attempted.error).toBe('public.rebind.test resolves to 127.0.0.1, a loopback address, which this deployment does not allow');
    } finally {
      await guarded.close();
      await dns.close();
      await dnsInfra.cleanup();
    }
  });
});

describe('signing secrets at rest', () => {
  const NEW_KEY = randomBytes(32).toString('hex');
  it('stores secrets encrypted; after a key rotation, and for secrets stored in clear before, seals them with the new key and signs as before', async () => {
    const sealed = await subscribe();
    const [row] = await dbQuery('SELECT secret FROM subscriptions WHERE id = $1', [sealed.id]);
    expect(row.secret).toMatch(/^whenc1\./);
    expect(row.secret).not.toContain(sealed.secret.slice('whsec_'.length));

    // a subscription from before encryption: its secret in clear
    const legacy = await subscribe();
    await dbQuery('UPDATE subscriptions SET secret = $2 WHERE id = $1', [legacy.id, legacy.secret]);

    // the new key, the development one (the old) still readable
    await webhook.close();
    webhook = await startWebhook(infra, { ...ENV, WEBHOOK_SECRET_KEY: NEW_KEY, WEBHOOK_SECRET_KEYS_PREVIOUS: loadWebhookConfig({}).webhooks.secretKey });
    const rows = await dbQuery('SELECT id, secret FROM subscriptions WHERE id = ANY($1::uuid[])', [[sealed.id, legacy.id]]);
    const prefix = rows[0].secret.split('.').slice(0, 2).join('.');
    expect(prefix).not.toBe(row.secret.split('.').slice(0, 2).join('.'));
    for (const r of rows) expect(r.secret.startsWith(`${prefix}.`)).toBe(true);

    for (const created of [sealed, legacy]) {
      const queued = await api('POST', `/api/webhooks/${created.id}/test`, {});
      const got = await eventually(() => receiver.received.find((r) => r.id === queued.body.id));
      expect(got.verifiedWith).toEqual([created.secret]);
    }
  });
});
