import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type Redis from 'ioredis';
import { EventProducer, createKafka, newEvent } from '@hop/events';
import { TestInfra, eventually } from '@hop/testing';
import { verifyLinkPassword } from '../src/domain/password-hash';
import { ALL_FEATURES, GATED_FIELDS, collectEvents, expectBadRequest, many, newWorkspace, shortIdOf, startStack, type ApiLink, type Stack, type Workspace } from './stack';

const infra = new TestInfra();
let stack: Stack;
let db: Client;
let redis: Redis;
let subscriber: Redis;
let probe: Awaited<ReturnType<typeof collectEvents>>;
const published: string[] = [];

beforeAll(async () => {
  stack = await startStack(infra);
  db = new Client({ connectionString: infra.databaseUrl('link') });
  await db.connect();
  redis = infra.redis();
  subscriber = infra.redis();
  await subscriber.subscribe(`${infra.redisKeyPrefix}routes`);
  subscriber.on('message', (_channel, shortId: string) => published.push(shortId));
  probe = await collectEvents(infra, `${infra.topicPrefix}links.v1`);
});

afterAll(async () => {
  await probe?.stop();
  subscriber?.disconnect();
  redis?.disconnect();
  await db?.end();
  await stack?.close();
  await infra.cleanup();
});

const route = async (link: ApiLink) => {
  const json = await redis.get(`route:${shortIdOf(link)}`);
  return json ? JSON.parse(json) : null;
};
const fetchLink = async (ws: Workspace, id: string): Promise<ApiLink | undefined> => (await ws.call('GET', `/api/links?id=${id}`)).body[0];
const put = (ws: Workspace, body: unknown) => ws.call('PUT', '/api/links', body);

describe('PUT /api/links: updates', () => {
  it('updates as the documented example (200): given fields change, the others stay', async () => {
    const ws = await newWorkspace(stack);
    const [otherCollection] = await ws.newCollections();
    const [link] = await ws.createLinks([{ url: 'https://example.com', title: 'Old', description: 'kept', externalId: 'e1', tenantId: 't1' }]);
    const reply = await put(ws, [
      {
        id: link.id,
        url: 'https://updated.com',
        title: 'Updated Link',
        expiresAt: '2026-12-31T23:59:00Z',
        expiredUrl: 'https://updated.com/expired',
        cloaked: true,
        ios: 'https://updated.com/ios',
        android: 'https://updated.com/android',
        geo: { US: 'https://updated.com/us' },
        collectionId: otherCollection,
      },
    ]);
    expect(reply.status).toBe(200);
    const [updated] = reply.body;
    expect(updated).toEqual({
      ...link,
      url: 'https://updated.com',
      title: 'Updated Link',
      expiresAt: '2026-12-31T23:59:00.000Z',
      expiredUrl: 'https://updated.com/expired',
      cloaked: true,
      ios: 'https://updated.com/ios',
      android: 'https://updated.com/android',
      geo: { US: 'https://updated.com/us' },
      collectionId: otherCollection,
      updatedAt: expect.any(String),
    });
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThan(new Date(link.updatedAt).getTime());
    expect(await fetchLink(ws, link.id)).toEqual(updated);
  });

  it('clears fields sent as null', async () => {
    const ws = await newWorkspace(stack);
    const [partnerId] = await ws.newPartners();
    const tagIds = await ws.newTags(1);
    const [link] = await ws.createLinks([
      {
        url: 'https://example.com',
        title: 't',
        description: 'd',
        image: 'https://example.com/i.png',
        utm: { source: 's' },
        expiresAt: '2026-12-31T23:59:00Z',
        expiredUrl: 'https://example.com/x',
        password: 'pw',
        cloaked: true,
        ios: 'https://example.com/ios',
        android: 'https://example.com/android',
        geo: { SA: 'https://example.com/sa' },
        externalId: 'e',
        tenantId: 't',
        partnerId,
        params: { a: 'b' },
        socialTitle: 'st',
        socialDescription: 'sd',
        socialImage: 'https://example.com/s.png',
        tagIds,
      },
    ]);
    const cleared = [
      'title', 'description', 'image', 'utm', 'expiresAt', 'expiredUrl', 'password', 'cloaked', 'ios', 'android', 'geo',
      'externalId', 'tenantId', 'partnerId', 'params', 'socialTitle', 'socialDescription', 'socialImage', 'tagIds',
    ];
    const reply = await put(ws, [{ id: link.id, ...Object.fromEntries(cleared.map((f) => [f, null])) }]);
    expect(reply.status).toBe(200);
    expect(reply.body[0]).toMatchObject({
      ...Object.fromEntries(cleared.map((f) => [f, null])),
      cloaked: false,
      tagIds: [],
      url: 'https://example.com',
      collectionId: ws.collectionId,
    });
    expect((await route(link)).passwordHash).toBeNull();
  });

  it('merges utm key by key (a null key clears only that key)', async () => {
    const ws = await newWorkspace(stack);
    const [link] = await ws.createLinks([{ url: 'https://example.com', utm: { source: 'google', medium: 'cpc', campaign: 'summer' } }]);
    const reply = await put(ws, [{ id: link.id, utm: { medium: null, campaign: 'winter', content: 'ad' } }]);
    expect(reply.body[0].utm).toEqual({ source: 'google', campaign: 'winter', content: 'ad' });
    expect((await route(link)).utm).toEqual({ source: 'google', campaign: 'winter', content: 'ad' });
  });

  it('updates the Redis route (newer version, new password hash) before answering and publishes link.upserted', async () => {
    const ws = await newWorkspace(stack);
    const [link] = await ws.createLinks([{ url: 'https://example.com/old', password: 'first' }]);
    const before = await route(link);
    const reply = await put(ws, [{ id: link.id, url: 'https://example.com/new', password: 'second', redirectType: 301, active: false }]);
    expect(reply.body[0].password).toBe('second');
    const after = await route(link);
    expect(after).toMatchObject({ url: 'https://example.com/new', redirectType: 301, active: false });
    expect(after.version).toBeGreaterThan(before.version);
    expect(verifyLinkPassword('second', after.passwordHash)).toBe(true);
    expect(verifyLinkPassword('first', after.passwordHash)).toBe(false);
    await eventually(() => published.filter((s) => s === shortIdOf(link)).length >= 2);
    await eventually(() =>
      probe.events.find((e) => e.type === 'link.upserted' && (e.data as any).route.linkId === link.id && (e.data as any).route.url === 'https://example.com/new'),
    );
  });

  it('keeps omitted fields, including the password', async () => {
    const ws = await newWorkspace(stack);
    const [link] = await ws.createLinks([{ url: 'https://example.com', password: 'keep', tenantId: 'ten' }]);
    const reply = await put(ws, [{ id: link.id, title: 'only this' }]);
    expect(reply.body[0]).toMatchObject({ password: 'keep', tenantId: 'ten', title: 'only this', url: 'https://example.com' });
    expect(verifyLinkPassword('keep', (await route(link)).passwordHash)).toBe(true);
  });
});

describe('PUT /api/links: creates and mixed batches', () => {
  it('creates links without id (url and collectionId required) and returns all items in input order', async () => {
    const ws = await newWorkspace(stack);
    const [existing] = await ws.createLinks([{ url: 'https://example.com/existing' }]);
    const reply = await put(ws, [
      { url: 'https://example.com/new-1', collectionId: ws.collectionId },
      { id: existing.id, title: 'updated' },
      { url: 'https://example.com/new-2', collectionId: ws.collectionId, externalId: 'n2' },
    ]);
    expect(reply.status).toBe(200);
    expect(reply.body.map((l: ApiLink) => l.url)).toEqual(['https://example.com/new-1', 'https://example.com/existing', 'https://example.com/new-2']);
    expect(reply.body[1]).toMatchObject({ id: existing.id, title: 'updated' });
    expect(await route(reply.body[2])).toMatchObject({ url: 'https://example.com/new-2', externalId: 'n2' });
    expect((await ws.call('GET', '/api/links')).body).toHaveLength(3);
  });

  it('answers the documented example ([{"url":"invalid-url"}]) with 400', async () => {
    const ws = await newWorkspace(stack);
    const reply = await put(ws, [{ url: 'invalid-url' }]);
    expectBadRequest(reply, '[0].url');
    expectBadRequest(reply, '[0].collectionId', /required/);
  });

  it.each([['url'], ['collectionId']])('requires %s to create', async (missing) => {
    const ws = await newWorkspace(stack);
    const item: Record<string, string> = { url: 'https://example.com', collectionId: ws.collectionId };
    delete item[missing];
    expectBadRequest(await put(ws, [item]), `[0].${missing}`, /required/);
  });

  it.each([
    ['url', null],
    ['url', 'javascript:alert(1)'],
    ['collectionId', null],
    ['id', 'not-a-uuid'],
    ['geo', { ZZ: 'https://example.com' }],
    ['expiresAt', '31/12/2026'],
    ['redirectType', null],
  ])('rejects %s = %p on update', async (field, value) => {
    const ws = await newWorkspace(stack);
    const [link] = await ws.createLinks([{ url: 'https://example.com' }]);
    expectBadRequest(await put(ws, [{ id: link.id, [field]: value }]), `[0].${field}`);
    expect(await fetchLink(ws, link.id)).toEqual(link);
  });
});

describe('PUT /api/links: all or nothing', () => {
  it('an unknown id fails the whole request: nothing updated, nothing created', async () => {
    const ws = await newWorkspace(stack);
    const [link] = await ws.createLinks([{ url: 'https://example.com/keep' }]);
    const unknown = randomUUID();
    const reply = await put(ws, [
      { id: link.id, url: 'https://example.com/changed' },
      { url: 'https://example.com/created', collectionId: ws.collectionId },
      { id: unknown, title: 'x' },
    ]);
    expectBadRequest(reply, '[2].id');
    expect(reply.body.error.en).toContain(unknown);
    const all = (await ws.call('GET', '/api/links')).body;
    expect(all).toEqual([link]);
    expect((await route(link)).url).toBe('https://example.com/keep');
  });

  it('a deleted link cannot be updated', async () => {
    const ws = await newWorkspace(stack);
    const [link] = await ws.createLinks([{ url: 'https://example.com' }]);
    expect((await ws.call('DELETE', '/api/links', [link.id])).status).toBe(200);
    expectBadRequest(await put(ws, [{ id: link.id, title: 'zombie' }]), '[0].id');
  });

  it('rejects the same id twice in one request', async () => {
    const ws = await newWorkspace(stack);
    const [link] = await ws.createLinks([{ url: 'https://example.com' }]);
    expectBadRequest(await put(ws, [{ id: link.id, title: 'a' }, { id: link.id, title: 'b' }]), '[1].id', /item \[0\]/);
  });

  it('one invalid item among many changes nothing', async () => {
    const ws = await newWorkspace(stack);
    const links = await ws.createLinks(many(20, (i) => ({ url: `https://example.com/${i}` })));
    const body = links.map((l, i) => ({ id: l.id, title: `t${i}` }));
    body[13] = { ...body[13], image: 'nope' } as never;
    expectBadRequest(await put(ws, body), '[13].image');
    const after = (await ws.call('GET', '/api/links?sort=asc')).body;
    expect(after).toEqual(links);
  });

  it('rejects more than 10,000 items, and more than the plan allows', async () => {
    const ws = await newWorkspace(stack, { bulkLimit: 10 });
    expectBadRequest(await put(ws, many(11, () => ({ url: 'https://example.com', collectionId: ws.collectionId }))));
    const big = await newWorkspace(stack);
    const reply = await put(big, many(10_001, () => ({ url: 'https://example.com', collectionId: big.collectionId })));
    expectBadRequest(reply);
    expect(reply.body.error.en).toMatch(/10000/);
  });

  it('counts creates against the link quota', async () => {
    const ws = await newWorkspace(stack, { linkQuota: 2 });
    const [link] = await ws.createLinks([{ url: 'https://example.com' }, { url: 'https://example.com' }]);
    expect((await put(ws, [{ id: link.id, title: 'updates are fine at the quota' }])).status).toBe(200);
    expectBadRequest(await put(ws, [{ url: 'https://example.com', collectionId: ws.collectionId }]));
  });
});

describe('PUT /api/links: plan gates, references, external ids', () => {
  it.each(GATED_FIELDS)('setting %s needs the plan feature (%p → %s); clearing it does not', async (field, value, feature) => {
    const ws = await newWorkspace(stack, { features: ALL_FEATURES.filter((f) => f !== feature) });
    const [link] = await ws.createLinks([{ url: 'https://example.com' }]);
    const reply = await put(ws, [{ id: link.id, [field]: value }]);
    expectBadRequest(reply, `[0].${field}`, new RegExp(feature));
    expect(reply.body.error.en).toContain(feature);
    expect((await put(ws, [{ id: link.id, [field]: field === 'cloaked' ? false : null }])).status).toBe(200);
  });

  it("checks collection, partner and tag ids — another workspace's are unknown", async () => {
    const a = await newWorkspace(stack);
    const b = await newWorkspace(stack);
    const [partnerA] = await a.newPartners();
    const [tagA] = await a.newTags();
    const [link] = await b.createLinks([{ url: 'https://example.com' }]);
    const refs = await put(b, [{ id: link.id, collectionId: a.collectionId, partnerId: partnerA, tagIds: [tagA] }]);
    expectBadRequest(refs, '[0].collectionId');
    expectBadRequest(refs, '[0].partnerId');
    expectBadRequest(refs, '[0].tagIds.0');
    expect(await fetchLink(b, link.id)).toEqual(link);
  });

  it('keeps externalId unique: conflicts with other links fail; moving one within a batch works', async () => {
    const ws = await newWorkspace(stack);
    const [first, second] = await ws.createLinks([{ url: 'https://example.com/1', externalId: 'one' }, { url: 'https://example.com/2', externalId: 'two' }]);
    expectBadRequest(await put(ws, [{ id: second.id, externalId: 'one' }]), '[0].externalId', /already used/);
    expectBadRequest(await put(ws, [{ url: 'https://example.com/3', collectionId: ws.collectionId, externalId: 'two' }]), '[0].externalId');
    expectBadRequest(
      await put(ws, [
        { url: 'https://example.com/3', collectionId: ws.collectionId, externalId: 'new' },
        { id: first.id, externalId: 'new' },
      ]),
      '[1].externalId',
      /item \[0\]/,
    );
    // setting its own externalId again is no conflict
    expect((await put(ws, [{ id: first.id, externalId: 'one' }])).status).toBe(200);
    // freed by one item, taken by a new link in the same batch
    const moved = await put(ws, [
      { url: 'https://example.com/4', collectionId: ws.collectionId, externalId: 'two' },
      { id: second.id, externalId: null },
    ]);
    expect(moved.status).toBe(200);
    expect(moved.body.map((l: ApiLink) => l.externalId)).toEqual(['two', null]);
  });

  it("workspace isolation: B cannot change A's link", async () => {
    const a = await newWorkspace(stack);
    const b = await newWorkspace(stack);
    const [link] = await a.createLinks([{ url: 'https://example.com/a' }]);
    expectBadRequest(await put(b, [{ id: link.id, url: 'https://evil.test' }]), '[0].id');
    expect(await fetchLink(a, link.id)).toEqual(link);
    expect((await route(link)).url).toBe('https://example.com/a');
  });
});

describe('DELETE /api/links', () => {
  it('soft-deletes as documented: {"deletedIds":[…]}, gone from GET and Redis at once, row and clicks kept', async () => {
    const ws = await newWorkspace(stack);
    const [gone, kept] = await ws.createLinks([{ url: 'https://example.com/gone' }, { url: 'https://example.com/kept' }]);
    expect(await route(gone)).not.toBeNull();
    const reply = await ws.call('DELETE', '/api/links', [gone.id]);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ deletedIds: [gone.id] });
    expect(await route(gone)).toBeNull();
    expect(await route(kept)).not.toBeNull();
    expect((await ws.call('GET', '/api/links')).body).toEqual([kept]);
    const { rows } = await db.query('SELECT deleted_at FROM links WHERE id = $1', [gone.id]);
    expect(rows[0].deleted_at).toBeInstanceOf(Date);
    await eventually(() => published.filter((s) => s === shortIdOf(gone)).length >= 2);
    const event = await eventually(() => probe.events.find((e) => e.type === 'link.deleted' && (e.data as any).linkId === gone.id));
    expect(event).toMatchObject({ key: shortIdOf(gone), workspaceId: ws.workspaceId, data: { shortId: shortIdOf(gone), version: expect.any(Number) } });
  });

  it('deletes many at once; repeated ids count once', async () => {
    const ws = await newWorkspace(stack);
    const links = await ws.createLinks(many(300, (i) => ({ url: `https://example.com/${i}` })));
    const body = [...links.map((l) => l.id), links[0].id];
    const reply = await ws.call('DELETE', '/api/links', body);
    expect(reply.body.deletedIds).toEqual(links.map((l) => l.id));
    expect((await ws.call('GET', '/api/links')).body).toEqual([]);
    expect((await redis.mget(...links.map((l) => `route:${shortIdOf(l)}`))).filter(Boolean)).toEqual([]);
  });

  it.each([
    ['an invalid UUID (the documented example)', (l: ApiLink) => [l.id, 'invalid-id'], '[1]'],
    ['an unknown id', (l: ApiLink) => [l.id, randomUUID()], '[1]'],
    ['an empty array', () => [], undefined],
    ['an object', (l: ApiLink) => ({ ids: [l.id] }), undefined],
    ['a number', () => [42], '[0]'],
  ])('rejects %s with 400 and deletes nothing', async (_name, body, path) => {
    const ws = await newWorkspace(stack);
    const [link] = await ws.createLinks([{ url: 'https://example.com' }]);
    expectBadRequest(await ws.call('DELETE', '/api/links', body(link)), path);
    expect((await ws.call('GET', '/api/links')).body).toEqual([link]);
    expect(await route(link)).not.toBeNull();
  });

  it('rejects an already deleted link', async () => {
    const ws = await newWorkspace(stack);
    const [link, other] = await ws.createLinks([{ url: 'https://example.com' }, { url: 'https://example.com' }]);
    expect((await ws.call('DELETE', '/api/links', [link.id])).status).toBe(200);
    expectBadRequest(await ws.call('DELETE', '/api/links', [other.id, link.id]), '[1]');
    expect((await ws.call('GET', '/api/links')).body).toEqual([other]);
  });

  it('rejects more than 10,000 ids', async () => {
    const ws = await newWorkspace(stack);
    const reply = await ws.call('DELETE', '/api/links', many(10_001, () => randomUUID()));
    expectBadRequest(reply);
    expect(reply.body.error.en).toMatch(/10000/);
  });

  it("workspace isolation: B cannot delete A's link", async () => {
    const a = await newWorkspace(stack);
    const b = await newWorkspace(stack);
    const [link] = await a.createLinks([{ url: 'https://example.com/a' }]);
    expectBadRequest(await b.call('DELETE', '/api/links', [link.id]), '[0]');
    expect(await fetchLink(a, link.id)).toEqual(link);
    expect(await route(link)).not.toBeNull();
  });
});

describe('tags deleted in catalog', () => {
  it('disappear from their links; a replayed event changes nothing more', async () => {
    const ws = await newWorkspace(stack);
    const [doomed, kept] = await ws.newTags(2);
    const [tagged, alsoTagged, untouched] = await ws.createLinks([
      { url: 'https://example.com/1', tagIds: [doomed, kept] },
      { url: 'https://example.com/2', tagIds: [doomed] },
      { url: 'https://example.com/3', tagIds: [kept] },
    ]);
    expect((await ws.catalog('DELETE', '/api/tags', [doomed])).status).toBe(200);
    await eventually(async () => (await fetchLink(ws, alsoTagged.id))?.tagIds.length === 0);
    expect((await fetchLink(ws, tagged.id))?.tagIds).toEqual([kept]);
    expect(await fetchLink(ws, untouched.id)).toEqual(untouched);
    expect((await ws.call('GET', `/api/links?tagId=${doomed}`)).body).toEqual([]);

    // the same event again (a redelivery) is recognised by its id and skipped
    const { rows } = await db.query("SELECT event_id FROM processed_events WHERE consumer = 'link.tag-cleanup'");
    expect(rows).toHaveLength(1);
    const producer = new EventProducer(createKafka({ brokers: infra.endpoints.kafkaBrokers, clientId: infra.id, topicPrefix: infra.topicPrefix }), infra.topicPrefix);
    try {
      const replay = { ...newEvent('tag.deleted', ws.workspaceId, { tagId: kept }), id: rows[0].event_id };
      const marker = newEvent('tag.deleted', ws.workspaceId, { tagId: randomUUID() });
      // both on the replay's key: one partition, so the marker is consumed after the replay
      await producer.publish('catalog', [replay, marker], () => kept);
      await eventually(async () => (await db.query('SELECT 1 FROM processed_events WHERE event_id = $1', [marker.id])).rowCount === 1);
      // the replay carried the kept tag: had it been applied, the tag would be gone
      expect((await fetchLink(ws, tagged.id))?.tagIds).toEqual([kept]);
    } finally {
      await producer.disconnect();
    }
  });
});
