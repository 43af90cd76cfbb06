import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { TestInfra } from '@hop/testing';
import { PeerStandIn, call, leadBody, saleBody, shortIdOf, startConversion, writeRecentClick, type Json } from './support';

const infra = new TestInfra();
const peers = new PeerStandIn();
let service: Awaited<ReturnType<typeof startConversion>>;
let redis: Redis;

const WS = randomUUID();
const OTHER_WS = randomUUID();

beforeAll(async () => {
  await peers.start();
  service = await startConversion(infra, { analytics: peers.url, link: peers.url });
  redis = infra.redis();
});

afterAll(async () => {
  await service?.close();
  redis?.disconnect();
  await peers.stop();
  await infra.cleanup();
});

const post = (path: string, body: unknown, options: { workspaceId?: string; headers?: Record<string, string> } = {}) =>
  call(service.url, 'POST', path, { workspaceId: options.workspaceId ?? WS, body, headers: options.headers });

/** A click just redirected: its link known to the link service, its record in Redis. */
async function freshClick(workspaceId = WS, partnerId: string | null = null) {
  const link = peers.addLink(workspaceId, { partnerId });
  const click = await writeRecentClick(redis, { linkId: link.id, workspaceId, partnerId, shortId: shortIdOf(link) });
  return { clickId: click.clickId, link };
}

const newCustomer = () => `cust_${randomUUID().slice(0, 8)}`;

/** 400 "Invalid request" whose only detail names `field` and says why (`message`). */
const expectInvalid = (reply: { status: number; body: Json }, field: string, message: RegExp) => {
  expect(reply.status).toBe(400);
  expect(reply.body.error).toEqual({ en: 'Invalid request', ar: 'طلب غير صالح' });
  expect(reply.body.details).toEqual([expect.objectContaining({ path: field, message: expect.stringMatching(message) })]);
};

const count = async (sql: string, params: unknown[]) => Number((await service.db.query(sql, params))[0].n);

describe('POST /api/track/lead validation', () => {
  const long = (n: number) => 'x'.repeat(n);
  test.each([
    ['clickId missing', { clickId: undefined }, 'clickId', /is required/],
    ['clickId not a string', { clickId: 42 }, 'clickId', /must be a string/],
    ['clickId longer than 64', { clickId: long(65) }, 'clickId', /less than or equal to 64/],
    ['eventName missing', { eventName: undefined }, 'eventName', /is required/],
    ['eventName empty', { eventName: '' }, 'eventName', /not allowed to be empty/],
    ['eventName over 255', { eventName: long(256) }, 'eventName', /less than or equal to 255/],
    ['customerExternalId missing', { customerExternalId: undefined }, 'customerExternalId', /is required/],
    ['customerExternalId empty', { customerExternalId: '' }, 'customerExternalId', /not allowed to be empty/],
    ['customerExternalId over 100', { customerExternalId: long(101) }, 'customerExternalId', /less than or equal to 100/],
    ['customerName missing', { customerName: undefined }, 'customerName', /is required/],
    ['customerName over 100', { customerName: long(101) }, 'customerName', /less than or equal to 100/],
    ['customerEmail not an email', { customerEmail: 'john-at-example' }, 'customerEmail', /valid email/],
    ['customerAvatar not a URL', { customerAvatar: 'not a url' }, 'customerAvatar', /valid uri/],
    ['customerAvatar not http(s)', { customerAvatar: 'ftp://example.com/a.png' }, 'customerAvatar', /http\|https/],
    ['metadata an array', { metadata: [1, 2] }, 'metadata', /must be of type object/],
    ['metadata a string', { metadata: 'source=web' }, 'metadata', /must be of type object/],
    ['metadata over 10 KB', { metadata: { blob: long(10 * 1024) } }, 'metadata', /at most 10240 bytes/],
    ['an unknown field', { customerPhone: '+123' }, 'customerPhone', /is not allowed/],
  ])('%s → 400 naming the field', async (_name, overrides, field, message) => {
    expectInvalid(await post('/api/track/lead', leadBody(overrides)), field, message);
  });

  test('an array body → 400 saying one object is expected', async () => {
    expectInvalid(await post('/api/track/lead', [leadBody()]), '', /single JSON object, not an array/);
  });

  test('no body, a non-object body or malformed JSON → 400 in the error shape', async () => {
    expectInvalid(await call(service.url, 'POST', '/api/track/lead', { workspaceId: WS }), '', /must be a JSON object/);
    for (const rawBody of ['{"clickId":', '"lead"']) {
      const refused = await call(service.url, 'POST', '/api/track/lead', { workspaceId: WS, rawBody });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toEqual({ en: 'Invalid request format', ar: 'تنسيق طلب غير صالح' });
    }
  });
});

describe('POST /api/track/sale validation', () => {
  test.each([
    ['amount missing', { amount: undefined }, 'amount', /is required/],
    ['amount negative', { amount: -100 }, 'amount', /greater than or equal to 0/],
    ['amount fractional', { amount: 12.5 }, 'amount', /must be an integer/],
    ['amount a string', { amount: '12900' }, 'amount', /must be a number/],
    ['currency of 2 letters', { currency: 'us' }, 'currency', /3-letter currency code/],
    ['currency of 4 letters', { currency: 'usdt' }, 'currency', /3-letter currency code/],
    ['currency with digits', { currency: 'u5d' }, 'currency', /3-letter currency code/],
    ['eventName over 255', { eventName: 'x'.repeat(256) }, 'eventName', /less than or equal to 255/],
    ['eventName empty', { eventName: '' }, 'eventName', /not allowed to be empty/],
    ['leadEventName empty', { leadEventName: '' }, 'leadEventName', /not allowed to be empty/],
    ['clickId not a string', { clickId: 7 }, 'clickId', /must be a string/],
    ['customerExternalId missing', { customerExternalId: undefined }, 'customerExternalId', /is required/],
    ['customerName missing', { customerName: undefined }, 'customerName', /is required/],
    ['customerEmail not an email', { customerEmail: 'nope' }, 'customerEmail', /valid email/],
    ['customerAvatar not a URL', { customerAvatar: 'nope' }, 'customerAvatar', /valid uri/],
    ['metadata over 10 KB', { metadata: { blob: 'x'.repeat(10 * 1024) } }, 'metadata', /at most 10240 bytes/],
  ])('%s → 400 naming the field', async (_name, overrides, field, message) => {
    expectInvalid(await post('/api/track/sale', saleBody(overrides)), field, message);
  });

  test('the documented negative-amount example → 400 "Invalid request"', async () => {
    const reply = await post('/api/track/sale', { customerExternalId: 'customer_123', amount: -100, customerName: 'John Doe' });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({ en: 'Invalid request', ar: 'طلب غير صالح' });
  });

  test('an array body → 400', async () => {
    expectInvalid(await post('/api/track/sale', [saleBody()]), '', /single JSON object, not an array/);
  });

  test('an Idempotency-Key over 255 characters → 400 naming the header', async () => {
    expectInvalid(
      await post('/api/track/sale', saleBody(), { headers: { 'idempotency-key': 'k'.repeat(256) } }),
      'Idempotency-Key',
      /less than or equal to 255/,
    );
  });
});

describe('POST /api/track/lead', () => {
  test('a lead right after its click is attributed through the redirector\'s Redis record', async () => {
    const partnerId = randomUUID();
    const { clickId, link } = await freshClick(WS, partnerId);
    const externalId = newCustomer();
    const reply = await post(
      '/api/track/lead',
      leadBody({
        clickId,
        customerExternalId: externalId,
        customerEmail: 'john@example.com',
        customerAvatar: 'https://example.com/avatar.jpg',
        metadata: { source: 'website' },
      }),
    );
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      click: { id: clickId },
      link,
      lead: { eventName: 'Sign up', metadata: { source: 'website' } },
      customer: {
        id: expect.any(String),
        name: 'John Doe',
        email: 'john@example.com',
        phone: null,
        avatar: 'https://example.com/avatar.jpg',
        externalId,
      },
    });
    const [lead] = await service.db.query('SELECT click_id, link_id, partner_id FROM leads WHERE customer_id = $1', [reply.body.customer.id]);
    expect(lead).toEqual({ click_id: clickId, link_id: link.id, partner_id: partnerId });
  });

  test('an unknown click → 400 with the documented bilingual message naming the id', async () => {
    const reply = await post('/api/track/lead', leadBody({ clickId: 'invalid-click-id', customerExternalId: newCustomer() }));
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({
      en: 'Click ID invalid-click-id not found or does not belong to your workspace',
      ar: 'معرف النقرة invalid-click-id غير موجود أو لا ينتمي إلى مساحة العمل الخاصة بك',
    });
  });

  test("another workspace's click is refused like an unknown one, and records nothing", async () => {
    const { clickId } = await freshClick(OTHER_WS);
    const externalId = newCustomer();
    const reply = await post('/api/track/lead', leadBody({ clickId, customerExternalId: externalId }));
    expect(reply.status).toBe(400);
    expect(reply.body.error.en).toBe(`Click ID ${clickId} not found or does not belong to your workspace`);
    expect(await count('SELECT count(*) AS n FROM customers WHERE external_id = $1', [externalId])).toBe(0);
  });

  test('path-like click ids are simply unknown', async () => {
    for (const clickId of ['..', '.', 'a/b']) {
      const reply = await post('/api/track/lead', leadBody({ clickId, customerExternalId: newCustomer() }));
      expect(reply.status).toBe(400);
      expect(reply.body.error.en).toBe(`Click ID ${clickId} not found or does not belong to your workspace`);
    }
  });

  test('deferred (clickId "") is attributed to the click of the customer\'s most recent lead', async () => {
    const externalId = newCustomer();
    const first = await freshClick();
    const second = await freshClick();
    expect((await post('/api/track/lead', leadBody({ clickId: first.clickId, customerExternalId: externalId }))).status).toBe(201);
    expect((await post('/api/track/lead', leadBody({ clickId: second.clickId, customerExternalId: externalId, eventName: 'Trial' }))).status).toBe(201);
    const deferred = await post('/api/track/lead', leadBody({ clickId: '', customerExternalId: externalId, eventName: 'Activated' }));
    expect(deferred.status).toBe(201);
    expect(deferred.body.click).toEqual({ id: second.clickId });
    expect(deferred.body.link).toEqual(second.link);
    expect(deferred.body.lead).toEqual({ eventName: 'Activated', metadata: null });
  });

  test('deferred without an earlier lead → 400 saying so (also when only another workspace has one)', async () => {
    const externalId = newCustomer();
    const { clickId } = await freshClick(OTHER_WS);
    expect((await post('/api/track/lead', leadBody({ clickId, customerExternalId: externalId }), { workspaceId: OTHER_WS })).status).toBe(201);
    const reply = await post('/api/track/lead', leadBody({ clickId: '', customerExternalId: externalId }));
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({
      en: `No earlier lead found for customer ${externalId} to attribute this event to`,
      ar: `لم يتم العثور على عميل محتمل سابق للعميل ${externalId} لنسب هذا الحدث إليه`,
    });
  });

  test('the customer is upserted: name updated, email/avatar updated when given, kept when absent, null clears', async () => {
    const externalId = newCustomer();
    const { clickId } = await freshClick();
    const first = await post(
      '/api/track/lead',
      leadBody({ clickId, customerExternalId: externalId, customerEmail: 'a@example.com', customerAvatar: 'https://example.com/a.png' }),
    );
    const renamed = await post('/api/track/lead', leadBody({ clickId, customerExternalId: externalId, customerName: 'Jane Doe' }));
    expect(renamed.body.customer).toEqual({ ...first.body.customer, name: 'Jane Doe' });
    const cleared = await post('/api/track/lead', leadBody({ clickId, customerExternalId: externalId, customerName: 'Jane Doe', customerEmail: null }));
    expect(cleared.body.customer).toEqual({ ...first.body.customer, name: 'Jane Doe', email: null });
    const changed = await post(
      '/api/track/lead',
      leadBody({ clickId, customerExternalId: externalId, customerName: 'Jane Doe', customerAvatar: 'https://example.com/b.png' }),
    );
    expect(changed.body.customer).toEqual({ ...first.body.customer, name: 'Jane Doe', email: null, avatar: 'https://example.com/b.png' });
  });

  test('concurrent first leads of a new customer make exactly one customer', async () => {
    const externalId = newCustomer();
    const { clickId } = await freshClick();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post('/api/track/lead', leadBody({ clickId, customerExternalId: externalId, eventName: `Step ${i}` }))),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(replies.map((r) => r.body.customer.id)).size).toBe(1);
    expect(await count('SELECT count(*) AS n FROM customers WHERE workspace_id = $1 AND external_id = $2', [WS, externalId])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM leads WHERE customer_id = $1', [replies[0].body.customer.id])).toBe(20);
  });

  test('the same externalId in two workspaces is two customers', async () => {
    const externalId = newCustomer();
    const here = await freshClick(WS);
    const there = await freshClick(OTHER_WS);
    const a = await post('/api/track/lead', leadBody({ clickId: here.clickId, customerExternalId: externalId }));
    const b = await post('/api/track/lead', leadBody({ clickId: there.clickId, customerExternalId: externalId, customerName: 'Other' }), {
      workspaceId: OTHER_WS,
    });
    expect(a.body.customer.id).not.toBe(b.body.customer.id);
    expect(a.body.customer.name).toBe('John Doe');
  });

  test('GET on a tracking route → 405 in the error shape', async () => {
    const reply = await call(service.url, 'GET', '/api/track/lead', { workspaceId: WS });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('POST');
    expect(reply.body.error).toEqual({ en: 'Method not allowed', ar: 'الطريقة غير مسموح بها' });
  });

  test('a request without the gateway proof is refused', async () => {
    const response = await fetch(`${service.url}/api/track/lead`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hop-workspace-id': WS },
      body: JSON.stringify(leadBody()),
    });
    expect(response.status).toBe(401);
  });
});

describe('POST /api/track/sale attribution', () => {
  /** A customer with a "Sign up" lead, then a "Trial" lead, each from its own click. */
  async function customerWithTwoLeads() {
    const externalId = newCustomer();
    const signUp = await freshClick();
    const trial = await freshClick(WS, randomUUID());
    await post('/api/track/lead', leadBody({ clickId: signUp.clickId, customerExternalId: externalId, eventName: 'Sign up' }));
    await post('/api/track/lead', leadBody({ clickId: trial.clickId, customerExternalId: externalId, eventName: 'Trial' }));
    return { externalId, signUp, trial };
  }

  test('leadEventName → that lead of the customer, ahead of clickId', async () => {
    const { externalId, signUp } = await customerWithTwoLeads();
    const direct = await freshClick();
    const reply = await post('/api/track/sale', saleBody({ customerExternalId: externalId, leadEventName: 'Sign up', clickId: direct.clickId }));
    expect(reply.status).toBe(201);
    expect(reply.body.click).toEqual({ id: signUp.clickId });
    expect(reply.body.link).toEqual(signUp.link);
    const [sale] = await service.db.query('SELECT lead_id, link_id FROM sales WHERE click_id = $1', [signUp.clickId]);
    const [lead] = await service.db.query(`SELECT id FROM leads WHERE click_id = $1 AND event_name = 'Sign up'`, [signUp.clickId]);
    expect(sale).toEqual({ lead_id: lead.id, link_id: signUp.link.id });
  });

  test('clickId when the named lead does not exist', async () => {
    const { externalId } = await customerWithTwoLeads();
    const direct = await freshClick();
    const reply = await post('/api/track/sale', saleBody({ customerExternalId: externalId, leadEventName: 'Demo', clickId: direct.clickId }));
    expect(reply.status).toBe(201);
    expect(reply.body.click).toEqual({ id: direct.clickId });
  });

  test('clickId for a customer with no lead (created by the sale)', async () => {
    const externalId = newCustomer();
    const direct = await freshClick();
    const reply = await post('/api/track/sale', saleBody({ customerExternalId: externalId, clickId: direct.clickId, customerEmail: 'j@example.com' }));
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      click: { id: direct.clickId },
      link: direct.link,
      customer: { id: expect.any(String), name: 'John Doe', email: 'j@example.com', phone: null, avatar: null, externalId },
      sale: { amount: 12900, currency: 'usd', eventName: 'Purchase', metadata: null },
    });
  });

  test('the most recent lead when neither leadEventName nor clickId is given (or the named lead is missing)', async () => {
    const { externalId, trial } = await customerWithTwoLeads();
    for (const extra of [{}, { leadEventName: 'Demo' }, { clickId: '' }]) {
      const reply = await post('/api/track/sale', saleBody({ customerExternalId: externalId, ...extra }));
      expect(reply.status).toBe(201);
      expect(reply.body.click).toEqual({ id: trial.clickId });
    }
  });

  test('nothing to attribute to → 400 explaining why', async () => {
    const externalId = newCustomer();
    const reply = await post('/api/track/sale', saleBody({ customerExternalId: externalId, leadEventName: 'Sign up' }));
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({
      en: `Cannot attribute this sale: no clickId was given and customer ${externalId} has no lead to attribute it to`,
      ar: `لا يمكن نسب عملية البيع هذه: لم يتم تقديم معرف نقرة وليس لدى العميل ${externalId} عميل محتمل لنسبها إليه`,
    });
    expect(await count('SELECT count(*) AS n FROM customers WHERE external_id = $1', [externalId])).toBe(0);
  });

  test('an unknown or foreign clickId → 400 CLICK_NOT_FOUND', async () => {
    const foreign = await freshClick(OTHER_WS);
    for (const clickId of ['nope', foreign.clickId]) {
      const reply = await post('/api/track/sale', saleBody({ customerExternalId: newCustomer(), clickId }));
      expect(reply.status).toBe(400);
      expect(reply.body.error.en).toBe(`Click ID ${clickId} not found or does not belong to your workspace`);
    }
  });

  test('currency is lower-cased, eventName and metadata kept, the customer upserted', async () => {
    const { externalId } = await customerWithTwoLeads();
    const reply = await post(
      '/api/track/sale',
      saleBody({ customerExternalId: externalId, currency: 'EUR', eventName: 'Invoice paid', metadata: { plan: 'pro' }, customerName: 'J. Doe' }),
    );
    expect(reply.status).toBe(201);
    expect(reply.body.sale).toEqual({ amount: 12900, currency: 'eur', eventName: 'Invoice paid', metadata: { plan: 'pro' } });
    expect(reply.body.customer.name).toBe('J. Doe');
  });

  test('amount 0 is a valid sale', async () => {
    const { externalId } = await customerWithTwoLeads();
    const reply = await post('/api/track/sale', saleBody({ customerExternalId: externalId, amount: 0 }));
    expect(reply.status).toBe(201);
    expect(reply.body.sale.amount).toBe(0);
  });
});

describe('idempotent sales', () => {
  const salesWithKey = (key: string) => count('SELECT count(*) AS n FROM sales WHERE workspace_id = $1 AND idempotency_key = $2', [WS, key]);

  test('a retried sale with the same Idempotency-Key counts once and gets the same response', async () => {
    const { clickId } = await freshClick();
    const body = saleBody({ customerExternalId: newCustomer(), clickId });
    const headers = { 'idempotency-key': `evt_${randomUUID()}` };
    const first = await post('/api/track/sale', body, { headers });
    const retry = await post('/api/track/sale', body, { headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await salesWithKey(`key:${headers['idempotency-key']}`)).toBe(1);
  });

  test('metadata.invoiceId makes a webhook retry count once', async () => {
    const { clickId } = await freshClick();
    const invoiceId = `inv_${randomUUID()}`;
    const body = saleBody({ customerExternalId: newCustomer(), clickId, metadata: { invoiceId } });
    const [a, b] = [await post('/api/track/sale', body), await post('/api/track/sale', body)];
    expect(b.body).toEqual(a.body);
    expect(await salesWithKey(`invoice:${invoiceId}`)).toBe(1);
  });

  test('concurrent retries still record one sale, and all get the same response', async () => {
    const { clickId } = await freshClick();
    const body = saleBody({ customerExternalId: newCustomer(), clickId });
    const headers = { 'idempotency-key': randomUUID() };
    const replies = await Promise.all(Array.from({ length: 10 }, () => post('/api/track/sale', body, { headers })));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
    for (const r of replies) expect(r.body).toEqual(replies[0].body);
    expect(await salesWithKey(`key:${headers['idempotency-key']}`)).toBe(1);
    const outbox = await count(`SELECT count(*) AS n FROM outbox WHERE payload->>'type' = 'sale.created' AND payload->'data'->>'clickId' = $1`, [clickId]);
    expect(outbox).toBe(1);
  });

  test('the same key for a different sale → 409, nothing recorded', async () => {
    const { clickId } = await freshClick();
    const key = randomUUID();
    const body = saleBody({ customerExternalId: newCustomer(), clickId });
    expect((await post('/api/track/sale', body, { headers: { 'idempotency-key': key } })).status).toBe(201);
    const reply = await post('/api/track/sale', { ...body, amount: 1 }, { headers: { 'idempotency-key': key } });
    expect(reply.status).toBe(409);
    expect(reply.body.error.en).toBe(`Idempotency key ${key} was already used for a different sale`);
    expect(await salesWithKey(`key:${key}`)).toBe(1);
  });

  test('keys are per workspace', async () => {
    const key = randomUUID();
    const here = await freshClick(WS);
    const there = await freshClick(OTHER_WS);
    const a = await post('/api/track/sale', saleBody({ customerExternalId: newCustomer(), clickId: here.clickId }), { headers: { 'idempotency-key': key } });
    const b = await post('/api/track/sale', saleBody({ customerExternalId: newCustomer(), clickId: there.clickId }), {
      workspaceId: OTHER_WS,
      headers: { 'idempotency-key': key },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.click.id).toBe(there.clickId);
  });

  test('without a key, two identical sales are two sales', async () => {
    const { clickId } = await freshClick();
    const body = saleBody({ customerExternalId: newCustomer(), clickId });
    await post('/api/track/sale', body);
    await post('/api/track/sale', body);
    expect(await count('SELECT count(*) AS n FROM sales WHERE click_id = $1', [clickId])).toBe(2);
  });
});

describe('when peers are unreachable', () => {
  /** A second instance on the same database, whose link/analytics URLs (or Redis) point at nothing. */
  async function instance(env: Record<string, string>) {
    const { start } = await import('../src/main');
    const { loadConversionConfig } = await import('../src/config');
    return start(loadConversionConfig(infra.serviceEnv('conversion', { ANALYTICS_URL: peers.url, LINK_URL: peers.url, ...env })));
  }
  const NOWHERE = 'http://127.0.0.1:9';

  test('link service down → 503 in the error shape, nothing recorded', async () => {
    const degraded = await instance({ LINK_URL: NOWHERE });
    try {
      const { clickId } = await freshClick();
      const externalId = newCustomer();
      const reply = await call(degraded.url, 'POST', '/api/track/lead', { workspaceId: WS, body: leadBody({ clickId, customerExternalId: externalId }) });
      expect(reply.status).toBe(503);
      expect(reply.body.error).toEqual({ en: 'Service temporarily unavailable', ar: 'الخدمة غير متاحة مؤقتًا' });
      expect(await count('SELECT count(*) AS n FROM customers WHERE external_id = $1', [externalId])).toBe(0);
    } finally {
      await degraded.close();
    }
  });

  test('a click missing from Redis with analytics down → 503, not "not found"', async () => {
    const degraded = await instance({ ANALYTICS_URL: NOWHERE });
    try {
      const reply = await call(degraded.url, 'POST', '/api/track/lead', { workspaceId: WS, body: leadBody({ clickId: 'not-in-redis', customerExternalId: newCustomer() }) });
      expect(reply.status).toBe(503);
    } finally {
      await degraded.close();
    }
  });

  test('Redis down → the click is found through analytics', async () => {
    const degraded = await instance({ REDIS_URL: 'redis://127.0.0.1:9' });
    try {
      const link = peers.addLink(WS);
      const clickId = `c${randomUUID().slice(0, 8)}`;
      peers.clicks.set(clickId, { clickId, linkId: link.id, workspaceId: WS, partnerId: null, shortId: shortIdOf(link), createdAt: new Date().toISOString() });
      const reply = await call(degraded.url, 'POST', '/api/track/lead', { workspaceId: WS, body: leadBody({ clickId, customerExternalId: newCustomer() }) });
      expect(reply.status).toBe(201);
      expect(reply.body.click).toEqual({ id: clickId });
      expect(reply.body.link).toEqual(link);
    } finally {
      await degraded.close();
    }
  });
});
