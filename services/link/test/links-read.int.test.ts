import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { TestInfra, gatewayClient } from '@hop/testing';
import { expectBadRequest, many, newWorkspace, shortIdOf, startStack, type ApiLink, type Stack, type Workspace } from './stack';

const infra = new TestInfra();
let stack: Stack;
let redis: Redis;

beforeAll(async () => {
  stack = await startStack(infra);
  redis = infra.redis();
});

afterAll(async () => {
  redis?.disconnect();
  await stack?.close();
  await infra.cleanup();
});

const ids = (links: ApiLink[]) => links.map((l) => l.id).sort();
const get = async (ws: Workspace, query: string) => {
  const reply = await ws.call('GET', `/api/links${query}`);
  expect(reply.status).toBe(200);
  return { links: reply.body as ApiLink[], total: Number(reply.headers.get('x-total-count')) };
};

describe('GET /api/links', () => {
  it('lists the workspace\'s links newest first (default take 50) with X-Total-Count', async () => {
    const ws = await newWorkspace(stack);
    const first = await ws.createLinks(many(30, (i) => ({ url: `https://example.com/a/${i}` })));
    const second = await ws.createLinks(many(30, (i) => ({ url: `https://example.com/b/${i}` })));
    const { links, total } = await get(ws, '');
    expect(total).toBe(60);
    expect(links).toHaveLength(50);
    // newest first; links of one request share createdAt and come in reverse input order
    expect(links.slice(0, 30).map((l) => l.url)).toEqual(second.map((l) => l.url).reverse());
    expect(links.slice(30).map((l) => l.url)).toEqual(first.slice(10).map((l) => l.url).reverse());
    expect(links[0]).toEqual(second[29]);
  });

  it('sorts oldest first with sort=asc', async () => {
    const ws = await newWorkspace(stack);
    const first = await ws.createLinks([{ url: 'https://example.com/1' }, { url: 'https://example.com/2' }]);
    const second = await ws.createLinks([{ url: 'https://example.com/3' }]);
    const { links } = await get(ws, '?sort=asc');
    expect(links.map((l) => l.url)).toEqual([...first, ...second].map((l) => l.url));
  });

  it('orders by destination URL or by key with orderBy, byte by byte, either way, paging stably', async () => {
    const ws = await newWorkspace(stack);
    // keys are unique on the default domain across workspaces: one suffix keeps these apart
    const own = `-${randomUUID().slice(0, 8)}`;
    await ws.createLinks([
      { url: 'https://example.com/b', key: `kiwi${own}` },
      { url: 'https://example.com/B', key: `Apple${own}` },
      { url: 'https://example.com/a', key: `banana${own}` },
    ]);
    await ws.createLinks([{ url: 'https://example.com/a', key: `a-1${own}` }]);
    const order = async (query: string) => (await get(ws, query)).links.map((l) => `${l.url.slice(-1)}:${shortIdOf(l).replace(own, '')}`);
    // the same URL twice: the older link first (ascending), as with createdAt
    expect(await order('?orderBy=url&sort=asc')).toEqual(['B:Apple', 'a:banana', 'a:a-1', 'b:kiwi']);
    expect(await order('?orderBy=url')).toEqual(['b:kiwi', 'a:a-1', 'a:banana', 'B:Apple']);
    expect(await order('?orderBy=key&sort=asc')).toEqual(['B:Apple', 'a:a-1', 'a:banana', 'b:kiwi']);
    expect(await order('?orderBy=key&sort=asc&take=2&skip=2')).toEqual(['a:banana', 'b:kiwi']);
    // with a filter too
    expect(await order('?orderBy=key&sort=desc&url=https://example.com/a')).toEqual(['a:banana', 'a:a-1']);
  });

  it('orders by title with orderBy=title: untitled links last from A to Z and first from Z to A, paging stably', async () => {
    const ws = await newWorkspace(stack);
    await ws.createLinks([
      { url: 'https://example.com/1', title: 'spring sale' },
      { url: 'https://example.com/2' },
      { url: 'https://example.com/3', title: 'autumn sale' },
      { url: 'https://example.com/4', title: 'spring sale' },
    ]);
    const order = async (query: string) => (await get(ws, query)).links.map((l) => l.url.slice(-1));
    // the same title twice: the older link first (ascending), as with createdAt
    expect(await order('?orderBy=title&sort=asc')).toEqual(['3', '1', '4', '2']);
    expect(await order('?orderBy=title&sort=desc')).toEqual(['2', '4', '1', '3']);
    expect(await order('?orderBy=title&sort=asc&take=2&skip=1')).toEqual(['1', '4']);
  });

  it('pages with take/skip: every link exactly once; skip past the end gives []', async () => {
    const ws = await newWorkspace(stack);
    const created = await ws.createLinks(many(23, (i) => ({ url: `https://example.com/${i}` })));
    const seen: string[] = [];
    for (let skip = 0; skip < 23; skip += 5) {
      const { links, total } = await get(ws, `?take=5&skip=${skip}`);
      expect(total).toBe(23);
      seen.push(...links.map((l) => l.id));
    }
    expect(seen.sort()).toEqual(ids(created));
    expect(await get(ws, '?skip=23')).toEqual({ links: [], total: 23 });
    expect(await get(ws, '?take=10&skip=1000')).toEqual({ links: [], total: 23 });
  });

  it.each([
    ['take=0'],
    ['take=10001'],
    ['take=-1'],
    ['take=abc'],
    ['take=1.5'],
    ['skip=-1'],
    ['skip=x'],
    ['sort=up'],
    ['id=not-a-uuid'],
    ['partnerId=nope'],
    ['collectionId=nope'],
    ['tagId=nope'],
    ['match=fuzzy'],
    ['orderBy=clicks'],
    ['externalId='],
    ['unknown=1'],
  ])('rejects %s (400 naming the parameter)', async (query) => {
    const ws = await newWorkspace(stack);
    const reply = await ws.call('GET', `/api/links?${query}`);
    expectBadRequest(reply, query.split('=')[0]);
  });

  it('filters id, externalId, tenantId and partnerId with OR, as the docs say', async () => {
    const ws = await newWorkspace(stack);
    const [partnerId, otherPartner] = await ws.newPartners(2);
    const [byId, byExternal, byTenant, byPartner, none] = await ws.createLinks([
      { url: 'https://example.com/1', externalId: 'x-1' },
      { url: 'https://example.com/2', externalId: 'wanted' },
      { url: 'https://example.com/3', tenantId: 'tenant-a' },
      { url: 'https://example.com/4', partnerId },
      { url: 'https://example.com/5', externalId: 'x-5', tenantId: 'tenant-b', partnerId: otherPartner },
    ]);
    expect(ids((await get(ws, `?id=${byId.id}`)).links)).toEqual([byId.id]);
    expect(ids((await get(ws, '?externalId=wanted')).links)).toEqual([byExternal.id]);
    expect(ids((await get(ws, '?tenantId=tenant-a')).links)).toEqual([byTenant.id]);
    expect(ids((await get(ws, `?partnerId=${partnerId}`)).links)).toEqual([byPartner.id]);
    const any = await get(ws, `?id=${byId.id}&externalId=wanted&tenantId=tenant-a&partnerId=${partnerId}`);
    expect(ids(any.links)).toEqual(ids([byId, byExternal, byTenant, byPartner]));
    expect(any.total).toBe(4);
    expect(ids(any.links)).not.toContain(none.id);
    // a repeated parameter matches any of its values
    expect(ids((await get(ws, `?id=${byId.id}&id=${byTenant.id}`)).links)).toEqual(ids([byId, byTenant]));
    expect((await get(ws, '?externalId=nothing-matches')).links).toEqual([]);
  });

  it('combines url/match, collectionId and tagId with AND (and with the OR group)', async () => {
    const ws = await newWorkspace(stack);
    const [otherCollection] = await ws.newCollections();
    const [tagA, tagB] = await ws.newTags(2);
    const [home, homeOther, page, pageTagged, pageTaggedOther, underscore] = await ws.createLinks([
      { url: 'https://shop.test/' },
      { url: 'https://shop.test/', collectionId: otherCollection, tenantId: 't1' },
      { url: 'https://shop.test/page?a=1' },
      { url: 'https://shop.test/page?a=2', tagIds: [tagA], tenantId: 't1' },
      { url: 'https://shop.test/pages', tagIds: [tagA, tagB], collectionId: otherCollection, tenantId: 't1' },
      { url: 'https://shop.test/a_b' },
    ]);
    const url = (value: string, match?: string) => `url=${encodeURIComponent(value)}${match ? `&match=${match}` : ''}`;
    expect(ids((await get(ws, `?${url('https://shop.test/')}`)).links)).toEqual(ids([home, homeOther]));
    expect(ids((await get(ws, `?${url('https://shop.test/', 'exact')}`)).links)).toEqual(ids([home, homeOther]));
    expect(ids((await get(ws, `?${url('https://shop.test/page', 'startswith')}`)).links)).toEqual(ids([page, pageTagged, pageTaggedOther]));
    // LIKE wildcards in the prefix are matched literally
    expect(ids((await get(ws, `?${url('https://shop.test/a_', 'startswith')}`)).links)).toEqual(ids([underscore]));
    expect((await get(ws, `?${url('https://shop.test/%', 'startswith')}`)).links).toEqual([]);
    expect(ids((await get(ws, `?collectionId=${otherCollection}`)).links)).toEqual(ids([homeOther, pageTaggedOther]));
    expect(ids((await get(ws, `?tagId=${tagA}`)).links)).toEqual(ids([pageTagged, pageTaggedOther]));
    expect(ids((await get(ws, `?tagId=${tagB}`)).links)).toEqual(ids([pageTaggedOther]));
    // AND between the extra filters
    expect(ids((await get(ws, `?tagId=${tagA}&collectionId=${otherCollection}`)).links)).toEqual(ids([pageTaggedOther]));
    expect(ids((await get(ws, `?${url('https://shop.test/page', 'startswith')}&tagId=${tagA}`)).links)).toEqual(ids([pageTagged, pageTaggedOther]));
    // AND between the OR group and the extra filters
    const combined = await get(ws, `?tenantId=t1&${url('https://shop.test/page', 'startswith')}`);
    expect(ids(combined.links)).toEqual(ids([pageTagged, pageTaggedOther]));
    expect(combined.total).toBe(2);
  });

  it('never shows deleted links, not even by id', async () => {
    const ws = await newWorkspace(stack);
    const [kept, removed] = await ws.createLinks([{ url: 'https://example.com/kept' }, { url: 'https://example.com/removed', externalId: 'gone' }]);
    expect((await ws.call('DELETE', '/api/links', [removed.id])).status).toBe(200);
    expect(await get(ws, '')).toEqual({ links: [kept], total: 1 });
    expect((await get(ws, `?id=${removed.id}`)).links).toEqual([]);
    expect((await get(ws, '?externalId=gone')).links).toEqual([]);
  });

  it("workspace isolation: B sees none of A's links, whatever the filter", async () => {
    const a = await newWorkspace(stack);
    const b = await newWorkspace(stack);
    const [link] = await a.createLinks([{ url: 'https://example.com/a', externalId: 'shared', tenantId: 'shared' }]);
    await b.createLinks([{ url: 'https://example.com/b' }]);
    const seenByB = await get(b, `?id=${link.id}&externalId=shared&tenantId=shared`);
    expect(seenByB).toEqual({ links: [], total: 0 });
    expect((await get(b, '')).total).toBe(1);
    expect((await get(b, `?${`url=${encodeURIComponent('https://example.com/a')}`}`)).links).toEqual([]);
  });
});

describe('10,000 links', () => {
  it('POST creates 10,000 in one request; GET take=10000 returns exactly 10,000 and skip=10000 the rest', async () => {
    const ws = await newWorkspace(stack);
    const bulk = await ws.call('POST', '/api/links', many(10_000, (i) => ({ url: `https://example.com/bulk/${i}`, collectionId: ws.collectionId })));
    expect(bulk.status).toBe(201);
    expect(bulk.body).toHaveLength(10_000);
    expect(bulk.body.map((l: ApiLink) => l.url)).toEqual(many(10_000, (i) => `https://example.com/bulk/${i}`));
    expect(new Set(bulk.body.map(shortIdOf)).size).toBe(10_000);
    // every route is in Redis as soon as POST answers
    const routes = await redis.mget(...bulk.body.map((l: ApiLink) => `route:${shortIdOf(l)}`));
    expect(routes.filter(Boolean)).toHaveLength(10_000);

    const [last] = await ws.createLinks([{ url: 'https://example.com/newest' }]);
    const page = await get(ws, '?take=10000');
    expect(page.total).toBe(10_001);
    expect(page.links).toHaveLength(10_000);
    expect(page.links[0].id).toBe(last.id);
    const rest = await get(ws, '?take=10000&skip=10000');
    expect(rest.links.map((l) => l.url)).toEqual(['https://example.com/bulk/0']);
    expectBadRequest(await ws.call('GET', '/api/links?take=10001'), 'take');
  });
});

describe('internal lookups', () => {
  it('GET /internal/routes/:shortId serves the route without a workspace header; 404 when unknown or deleted', async () => {
    const ws = await newWorkspace(stack);
    const [link] = await ws.createLinks([{ url: 'https://example.com/route', password: 'pw' }]);
    const internal = gatewayClient(stack.link.url);
    const reply = await internal('GET', `/internal/routes/${shortIdOf(link)}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(JSON.parse((await redis.get(`route:${shortIdOf(link)}`)) as string));
    expect(reply.body).toMatchObject({ linkId: link.id, workspaceId: ws.workspaceId, url: 'https://example.com/route', passwordHash: expect.stringMatching(/^hs256\$/) });
    expect((await internal('GET', '/internal/routes/Zz9Zz9Z')).status).toBe(404);
    expect((await internal('GET', '/internal/routes/bad%20id')).status).toBe(400);
    expect((await internal('GET', `/internal/routes/${shortIdOf(link)}`, undefined, { unsigned: true })).status).toBe(401);
    expect((await ws.call('DELETE', '/api/links', [link.id])).status).toBe(200);
    expect((await internal('GET', `/internal/routes/${shortIdOf(link)}`)).status).toBe(404);
  });

  it('GET /internal/links/:linkId returns the API link object, deleted ones flagged by deletedAt; other workspaces get 404', async () => {
    const a = await newWorkspace(stack);
    const b = await newWorkspace(stack);
    const [link] = await a.createLinks([{ url: 'https://example.com/internal' }]);
    const reply = await a.call('GET', `/internal/links/${link.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ ...link, deletedAt: null });
    expect((await b.call('GET', `/internal/links/${link.id}`)).status).toBe(404);
    expect((await a.call('GET', `/internal/links/${randomUUID()}`)).status).toBe(404);
    expect((await a.call('DELETE', '/api/links', [link.id])).status).toBe(200);
    const deleted = await a.call('GET', `/internal/links/${link.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).toEqual(expect.any(String));
  });
});
