import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type Redis from 'ioredis';
import { routeSchema } from '@hop/events';
import { TestInfra, eventually, gatewayClient } from '@hop/testing';
import { verifyLinkPassword } from '../src/domain/password-hash';
import { freshShortId } from '../src/domain/short-id';
import { ALL_FEATURES, GATED_FIELDS, SHORT_BASE_URL, collectEvents, expectBadRequest, many, newWorkspace, shortIdOf, startStack, type Stack } from './stack';

// Only to force a short-id collision: the generator is wrapped, real unless a test says otherwise.
jest.mock('../src/domain/short-id', () => {
  const actual = jest.requireActual('../src/domain/short-id');
  return { ...actual, freshShortId: jest.fn(actual.freshShortId) };
});

const infra = new TestInfra();
let stack: Stack;
let db: Client;
let redis: Redis;
let subscriber: Redis;
const published: string[] = [];

beforeAll(async () => {
  stack = await startStack(infra);
  db = new Client({ connectionString: infra.databaseUrl('link') });
  await db.connect();
  redis = infra.redis();
  subscriber = infra.redis();
  await subscriber.subscribe(`${infra.redisKeyPrefix}routes`);
  subscriber.on('message', (_channel, shortId: string) => published.push(shortId));
});

afterAll(async () => {
  subscriber?.disconnect();
  redis?.disconnect();
  await db?.end();
  await stack?.close();
  await infra.cleanup();
});

const route = async (shortId: string) => {
  const json = await redis.get(`route:${shortId}`);
  return json ? JSON.parse(json) : null;
};

const countLinks = async (workspaceId: string) =>
  (await db.query('SELECT count(*)::int AS n FROM links WHERE workspace_id = $1 AND deleted_at IS NULL', [workspaceId])).rows[0].n;

describe('POST /api/links: success', () => {
  it('creates the documented example (201): every field present, short URL and Hoko QR format on SHORT_BASE_URL', async () => {
    const ws = await newWorkspace(stack);
    const reply = await ws.call('POST', '/api/links', [
      {
        url: 'https://example.com',
        collectionId: ws.collectionId,
        expiresAt: '2026-12-31T23:59:00Z',
        expiredUrl: 'https://example.com/expired',
        password: 'launch',
        cloaked: true,
        ios: 'https://example.com/ios',
        android: 'https://example.com/android',
        geo: { SA: 'https://example.com/sa' },
      },
    ]);
    expect(reply.status).toBe(201);
    const [link] = reply.body;
    const shortId = shortIdOf(link);
    expect(shortId).toMatch(/^[0-9A-Za-z]{7}$/);
    expect(link).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: 'https://example.com',
      shortUrl: `${SHORT_BASE_URL}/${shortId}`,
      qrCode: `${SHORT_BASE_URL}/qrcode?text=${encodeURIComponent(`${SHORT_BASE_URL}/${shortId}?qr=1`)}&size=512&errorCorrection=H&foreground=000000&background=FFFFFF&margin=1&format=svg`,
      title: null,
      description: null,
      image: null,
      utm: null,
      expiresAt: '2026-12-31T23:59:00.000Z',
      expiredUrl: 'https://example.com/expired',
      password: 'launch',
      cloaked: true,
      ios: 'https://example.com/ios',
      android: 'https://example.com/android',
      geo: { SA: 'https://example.com/sa' },
      collectionId: ws.collectionId,
      externalId: null,
      tenantId: null,
      partnerId: null,
      createdAt: expect.any(String),
      updatedAt: link.createdAt,
      redirectType: 302,
      active: true,
      hideReferrer: false,
      params: null,
      socialTitle: null,
      socialDescription: null,
      socialImage: null,
      tagIds: [],
      domain: 'hop.test',
      key: shortId,
    });
    expect(new Date(link.createdAt).toISOString()).toBe(link.createdAt);
  });

  it('creates the metadata example with utm, external/tenant/partner ids, tags and the peer fields', async () => {
    const ws = await newWorkspace(stack);
    const [partnerId] = await ws.newPartners();
    const tagIds = await ws.newTags(2);
    const fields = {
      title: 'Example Link',
      description: 'An example link',
      image: 'https://example.com/image.jpg',
      utm: { source: 'google', medium: 'cpc', campaign: 'summer', term: 'kw', content: 'ad', referral: 'r' },
      externalId: 'ext_123',
      tenantId: 'tenant_123',
      partnerId,
      tagIds,
      redirectType: 301,
      active: false,
      hideReferrer: true,
      params: { ref: 'hop', empty: '' },
      socialTitle: 'OG title',
      socialDescription: 'OG description',
      socialImage: 'https://example.com/og.png',
    };
    const [link] = await ws.createLinks([{ url: 'https://example.com/p?a=1', ...fields }]);
    expect(link).toMatchObject(fields);
  });

  it('returns links in input order, each with its own unique short id', async () => {
    const ws = await newWorkspace(stack);
    const links = await ws.createLinks(many(50, (i) => ({ url: `https://example.com/${i}` })));
    expect(links.map((l) => l.url)).toEqual(many(50, (i) => `https://example.com/${i}`));
    expect(new Set(links.map(shortIdOf)).size).toBe(50);
  });

  it('ignores read-only fields sent back from a GET (shortUrl, qrCode, createdAt, updatedAt)', async () => {
    const ws = await newWorkspace(stack);
    const [link] = await ws.createLinks([{ url: 'https://example.com', shortUrl: 'https://evil.test/x', qrCode: 'q', createdAt: 'c', updatedAt: 'u' }]);
    expect(link.shortUrl.startsWith(SHORT_BASE_URL)).toBe(true);
  });
});

describe('POST /api/links: routes, events, storage', () => {
  it('writes the route to Redis before answering (the link redirects at once) and announces it', async () => {
    const ws = await newWorkspace(stack);
    const [partnerId] = await ws.newPartners();
    const [link] = await ws.createLinks([
      { url: 'https://example.com/r', password: 'launch', partnerId, tenantId: 'ten', externalId: 'ext', geo: { US: 'https://us.test' } },
    ]);
    const shortId = shortIdOf(link);
    const stored = await route(shortId); // read right after the 201: no waiting
    expect(routeSchema.validate(stored).error).toBeUndefined();
    expect(stored).toMatchObject({
      linkId: link.id,
      shortId,
      workspaceId: ws.workspaceId,
      url: 'https://example.com/r',
      partnerId,
      tenantId: 'ten',
      externalId: 'ext',
      geo: { US: 'https://us.test' },
      redirectType: 302,
      active: true,
      version: new Date(link.updatedAt).getTime(),
    });
    expect(verifyLinkPassword('launch', stored.passwordHash)).toBe(true);
    expect(verifyLinkPassword('wrong', stored.passwordHash)).toBe(false);
    await eventually(() => published.includes(shortId));
  });

  it('stores the password encrypted, never in clear', async () => {
    const ws = await newWorkspace(stack);
    const [link] = await ws.createLinks([{ url: 'https://example.com', password: 'very-secret-pw' }]);
    const { rows } = await db.query('SELECT * FROM links WHERE id = $1', [link.id]);
    expect(JSON.stringify(rows[0])).not.toContain('very-secret-pw');
    expect(rows[0].password_cipher).toMatch(/^v1\./);
    expect(link.password).toBe('very-secret-pw');
  });

  it('publishes link.upserted to links.v1, keyed by short id, from the outbox', async () => {
    const probe = await collectEvents(infra, `${infra.topicPrefix}links.v1`);
    try {
      const ws = await newWorkspace(stack);
      const [link] = await ws.createLinks([{ url: 'https://example.com/evt' }]);
      const event = await eventually(() => probe.events.find((e) => e.type === 'link.upserted' && (e.data as any).route.linkId === link.id));
      expect(event).toMatchObject({ workspaceId: ws.workspaceId, key: shortIdOf(link), data: { route: { url: 'https://example.com/evt' } } });
    } finally {
      await probe.stop();
    }
  });
});

describe('POST /api/links: short id collisions', () => {
  it('retries with a fresh short id when one is already taken (also by a deleted link)', async () => {
    const ws = await newWorkspace(stack);
    const [existing] = await ws.createLinks([{ url: 'https://example.com/first' }]);
    expect((await ws.call('DELETE', '/api/links', [existing.id])).status).toBe(200);
    (freshShortId as jest.Mock).mockImplementationOnce(() => shortIdOf(existing));
    const [link] = await ws.createLinks([{ url: 'https://example.com/second' }]);
    expect(shortIdOf(link)).not.toBe(shortIdOf(existing));
    expect(await route(shortIdOf(link))).toMatchObject({ linkId: link.id });
    expect(await route(shortIdOf(existing))).toBeNull();
  });
});

describe('POST /api/links: validation (400, nothing created)', () => {
  it('answers the documented example ([{"url":"invalid-url"}]) with the Hoko body and details', async () => {
    const ws = await newWorkspace(stack);
    const reply = await ws.call('POST', '/api/links', [{ url: 'invalid-url' }]);
    expectBadRequest(reply, '[0].url', /absolute http\(s\) URL/);
    expect(reply.body.error).toEqual({ en: 'Invalid request', ar: 'طلب غير صالح' });
    expectBadRequest(reply, '[0].collectionId', /required/);
  });

  it.each([
    ['url', 'javascript:alert(1)'],
    ['url', 'data:text/html,hi'],
    ['url', '/relative'],
    ['url', 'ftp://example.com'],
    ['url', 42],
    ['image', 'not a url'],
    ['expiredUrl', 'javascript:void(0)'],
    ['ios', 'itms://app'],
    ['android', '//example.com'],
    ['socialImage', 'data:image/png;base64,AAAA'],
    ['geo', { SA: 'javascript:alert(1)' }],
    ['geo', { sa: 'https://example.com' }],
    ['geo', { XX: 'https://example.com' }],
    ['geo', { SAU: 'https://example.com' }],
    ['geo', 'SA'],
    ['expiresAt', '2026-12-31'],
    ['expiresAt', '2026-02-30T00:00:00Z'],
    ['expiresAt', 'next week'],
    ['collectionId', 'not-a-uuid'],
    ['partnerId', 'nope'],
    ['tagIds', ['nope']],
    ['redirectType', 307],
    ['cloaked', 'maybe'],
    ['utm', { source: 'a', unknownKey: 'b' }],
    ['params', { a: 1 }],
    ['externalId', ''],
    ['title', 'x'.repeat(501)],
    ['unknownField', 1],
  ])('rejects %s = %p, naming item and field', async (field, value) => {
    const ws = await newWorkspace(stack);
    const reply = await ws.call('POST', '/api/links', [
      { url: 'https://example.com/ok', collectionId: ws.collectionId },
      { url: 'https://example.com/bad', collectionId: ws.collectionId, [field]: value },
    ]);
    expectBadRequest(reply);
    expect(reply.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ index: 1, path: expect.stringMatching(new RegExp(`^\\[1\\]\\.${field}`)) })]));
    expect(await countLinks(ws.workspaceId)).toBe(0);
  });

  it('accepts several ISO country codes and a time-zone offset in expiresAt', async () => {
    const ws = await newWorkspace(stack);
    const [link] = await ws.createLinks([{ url: 'https://example.com', geo: { AE: 'https://ae.test', DE: 'https://de.test' }, expiresAt: '2027-01-01T02:59:00+03:00' }]);
    expect(link).toMatchObject({ geo: { AE: 'https://ae.test', DE: 'https://de.test' }, expiresAt: '2026-12-31T23:59:00.000Z' });
  });

  it.each([[{}], ['text'], [null], [[]]])('rejects a body that is not a non-empty array: %p', async (body) => {
    const ws = await newWorkspace(stack);
    expectBadRequest(await ws.call('POST', '/api/links', body));
  });

  it('rejects malformed JSON with "Invalid request format"', async () => {
    const ws = await newWorkspace(stack);
    const reply = await ws.call('POST', '/api/links', '[{"url":', { raw: true });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({ en: 'Invalid request format', ar: 'تنسيق طلب غير صالح' });
  });

  it('is all or nothing: one bad item among 500 creates nothing', async () => {
    const ws = await newWorkspace(stack);
    const items = many(500, (i) => ({ url: `https://example.com/${i}`, collectionId: ws.collectionId }));
    items[377] = { ...items[377], url: 'javascript:alert(1)' };
    const reply = await ws.call('POST', '/api/links', items);
    expectBadRequest(reply, '[377].url');
    expect(reply.body.details).toHaveLength(1);
    expect(await countLinks(ws.workspaceId)).toBe(0);
  });

  it('rejects more than 10,000 links (BATCH_TOO_LARGE names the maximum)', async () => {
    const ws = await newWorkspace(stack);
    const reply = await ws.call('POST', '/api/links', many(10_001, () => ({ url: 'https://example.com', collectionId: ws.collectionId })));
    expectBadRequest(reply);
    expect(reply.body.error.en).toMatch(/10000/);
  });

  it("enforces the plan's bulk limit when it is lower", async () => {
    const ws = await newWorkspace(stack, { bulkLimit: 100 });
    const items = (n: number) => many(n, () => ({ url: 'https://example.com', collectionId: ws.collectionId }));
    const reply = await ws.call('POST', '/api/links', items(101));
    expectBadRequest(reply);
    expect(reply.body.error.en).toMatch(/at most 100/);
    expect((await ws.call('POST', '/api/links', items(100))).status).toBe(201);
  });

  it("enforces the plan's link quota (counting live links only)", async () => {
    const ws = await newWorkspace(stack, { linkQuota: 5 });
    const first = await ws.createLinks(many(4, () => ({ url: 'https://example.com' })));
    const over = await ws.call('POST', '/api/links', many(2, () => ({ url: 'https://example.com', collectionId: ws.collectionId })));
    expectBadRequest(over);
    expect(over.body.error.en).toMatch(/quota.*5/);
    expect(await countLinks(ws.workspaceId)).toBe(4);
    expect((await ws.call('DELETE', '/api/links', [first[0].id])).status).toBe(200);
    expect((await ws.call('POST', '/api/links', many(2, () => ({ url: 'https://example.com', collectionId: ws.collectionId })))).status).toBe(201);
  });
});

describe('POST /api/links: plan gates', () => {
  it.each(GATED_FIELDS)('%s needs %s: 400 naming the feature, nothing created', async (field, value, feature) => {
    const ws = await newWorkspace(stack, { features: ALL_FEATURES.filter((f) => f !== feature) });
    const reply = await ws.call('POST', '/api/links', [
      { url: 'https://example.com', collectionId: ws.collectionId },
      { url: 'https://example.com', collectionId: ws.collectionId, [field]: value },
    ]);
    expectBadRequest(reply, `[1].${field}`, new RegExp(feature));
    expect(reply.body.error.en).toContain(feature);
    expect(await countLinks(ws.workspaceId)).toBe(0);
    const allowed = await newWorkspace(stack, { features: [feature] });
    expect((await allowed.call('POST', '/api/links', [{ url: 'https://example.com', collectionId: allowed.collectionId, [field]: value }])).status).toBe(201);
  });

  it('cloaked=false needs no feature', async () => {
    const ws = await newWorkspace(stack, { features: [] });
    expect((await ws.call('POST', '/api/links', [{ url: 'https://example.com', collectionId: ws.collectionId, cloaked: false }])).status).toBe(201);
  });
});

describe('POST /api/links: references and external ids', () => {
  it('rejects an unknown collection, partner or tag, naming index and field', async () => {
    const ws = await newWorkspace(stack);
    const [tagId] = await ws.newTags();
    const unknown = randomUUID();
    const cases = [
      [{ collectionId: unknown }, '[1].collectionId', /Collection/],
      [{ partnerId: unknown }, '[1].partnerId', /Partner/],
      [{ tagIds: [tagId, unknown] }, '[1].tagIds.1', /Tag/],
    ] as const;
    for (const [fields, path, resource] of cases) {
      const reply = await ws.call('POST', '/api/links', [
        { url: 'https://example.com', collectionId: ws.collectionId },
        { url: 'https://example.com', collectionId: ws.collectionId, ...fields },
      ]);
      expectBadRequest(reply, path);
      expect(reply.body.error.en).toMatch(resource);
      expect(reply.body.error.en).toContain(unknown);
    }
    expect(await countLinks(ws.workspaceId)).toBe(0);
  });

  it('rejects a deleted collection', async () => {
    const ws = await newWorkspace(stack);
    const [gone] = await ws.newCollections();
    expect((await ws.catalog('DELETE', '/api/collections', [gone])).status).toBe(200);
    expectBadRequest(await ws.call('POST', '/api/links', [{ url: 'https://example.com', collectionId: gone }]), '[0].collectionId');
  });

  it("cannot use another workspace's collection, partner or tag", async () => {
    const a = await newWorkspace(stack);
    const b = await newWorkspace(stack);
    const [partnerA] = await a.newPartners();
    const [tagA] = await a.newTags();
    const reply = await b.call('POST', '/api/links', [
      { url: 'https://example.com', collectionId: a.collectionId },
      { url: 'https://example.com', collectionId: b.collectionId, partnerId: partnerA },
      { url: 'https://example.com', collectionId: b.collectionId, tagIds: [tagA] },
    ]);
    expectBadRequest(reply, '[0].collectionId');
    expectBadRequest(reply, '[1].partnerId');
    expectBadRequest(reply, '[2].tagIds.0');
    expect(await countLinks(b.workspaceId)).toBe(0);
  });

  it('rejects an externalId already used in the workspace (but not one used in another workspace or by a deleted link)', async () => {
    const a = await newWorkspace(stack);
    const b = await newWorkspace(stack);
    const [kept, removed] = await a.createLinks([{ url: 'https://example.com', externalId: 'dup' }, { url: 'https://example.com', externalId: 'freed' }]);
    expect(kept.externalId).toBe('dup');
    const reply = await a.call('POST', '/api/links', [
      { url: 'https://example.com', collectionId: a.collectionId },
      { url: 'https://example.com', collectionId: a.collectionId, externalId: 'dup' },
    ]);
    expectBadRequest(reply, '[1].externalId', /already used/);
    expect(reply.body.error.en).toContain('dup');
    expect(await countLinks(a.workspaceId)).toBe(2);
    await b.createLinks([{ url: 'https://example.com', externalId: 'dup' }]);
    expect((await a.call('DELETE', '/api/links', [removed.id])).status).toBe(200);
    await a.createLinks([{ url: 'https://example.com', externalId: 'freed' }]);
  });

  it('rejects an externalId repeated within the batch', async () => {
    const ws = await newWorkspace(stack);
    const reply = await ws.call('POST', '/api/links', [
      { url: 'https://example.com', collectionId: ws.collectionId, externalId: 'same' },
      { url: 'https://example.com', collectionId: ws.collectionId, externalId: 'other' },
      { url: 'https://example.com', collectionId: ws.collectionId, externalId: 'same' },
    ]);
    expectBadRequest(reply, '[2].externalId', /item \[0\]/);
    expect(await countLinks(ws.workspaceId)).toBe(0);
  });
});

describe('requests that did not come through the gateway', () => {
  it.each([['GET'], ['POST'], ['PUT'], ['DELETE']])('%s /api/links without the proof → 401 in the Hoko shape', async (method) => {
    const call = gatewayClient(stack.link.url);
    const reply = await call(method, '/api/links', method === 'GET' ? undefined : [], { unsigned: true });
    expect(reply.status).toBe(401);
    expect(reply.body.error).toEqual({ en: expect.any(String), ar: expect.any(String) });
  });

  it('rejects a forged signature', async () => {
    const call = gatewayClient(stack.link.url, { workspaceId: randomUUID(), secret: 'not-the-internal-secret-000' });
    expect((await call('GET', '/api/links')).status).toBe(401);
  });
});
