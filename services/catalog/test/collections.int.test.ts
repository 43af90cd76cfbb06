import { randomUUID } from 'node:crypto';
import { eventually, gatewayClient, type GatewayReply as Reply } from '@hop/testing';
import { many, unknownId, workspaceClient } from './client';
import { catalogUnderTest } from './stack';

const stack = catalogUnderTest();

const workspace = () => workspaceClient(stack.service.url);

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function expectInvalid(reply: Reply, detail?: { path: string; message?: RegExp }) {
  expect(reply.status).toBe(400);
  expect(reply.body.error).toEqual({ en: expect.any(String), ar: expect.any(String) });
  if (detail) expect(reply.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: detail.path, ...(detail.message ? { message: expect.stringMatching(detail.message) } : {}) })]));
}

describe('POST /api/collections', () => {
  it('creates the batch in input order with every field present (201)', async () => {
    const { call } = workspace();
    const reply = await call('POST', '/api/collections', [{ name: 'Marketing Campaigns', description: 'All marketing links' }, { name: 'Second' }]);
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual([
      { id: expect.any(String), name: 'Marketing Campaigns', description: 'All marketing links', createdAt: expect.stringMatching(ISO), updatedAt: expect.stringMatching(ISO) },
      { id: expect.any(String), name: 'Second', description: null, createdAt: expect.stringMatching(ISO), updatedAt: expect.stringMatching(ISO) },
    ]);
    expect(Object.keys(reply.body[1])).toEqual(['id', 'name', 'description', 'createdAt', 'updatedAt']);
  });

  it.each([
    ['an item without name', [{}], '[0].name', /required/],
    ['an empty name', [{ name: '  ' }], '[0].name', /empty/],
    ['a name that is not a string', [{ name: 5 }], '[0].name', /string/],
    ['an unknown field', [{ name: 'a', color: 'red' }], '[0].color', /not allowed/],
    ['an id (POST only creates)', [{ name: 'a', id: randomUUID() }], '[0].id', /not allowed/],
    ['a description that is not a string', [{ name: 'a', description: 3 }], '[0].description', /string/],
    ['an object instead of an array', { name: 'a' }, '', /array/],
    ['an empty array', [], '', /at least 1/],
    ['an item that is not an object', ['a'], '[0]', /object/],
  ])('rejects %s (400, nothing created)', async (_case, body, path, message) => {
    const { call } = workspace();
    expectInvalid(await call('POST', '/api/collections', body), { path, message });
    expect((await call('GET', '/api/collections')).body).toEqual([]);
  });

  it('is all-or-nothing: one bad item fails the batch and names its index', async () => {
    const { call } = workspace();
    const reply = await call('POST', '/api/collections', [{ name: 'ok' }, { name: 'ok 2' }, { description: 'no name' }]);
    expectInvalid(reply, { path: '[2].name' });
    expect(reply.body.details).toHaveLength(1);
    expect((await call('GET', '/api/collections')).headers.get('x-total-count')).toBe('0');
  });

  it('refuses more items than the plan allows, and never more than 10,000', async () => {
    const { call } = workspace();
    const overPlan = await call('POST', '/api/collections', many(3, (i) => ({ name: `c${i}` })), { bulkLimit: 2 });
    expect(overPlan.status).toBe(400);
    expect(overPlan.body.error.en).toBe('Too many items: at most 2 per request on your plan');
    expect((await call('POST', '/api/collections', many(2, (i) => ({ name: `c${i}` })), { bulkLimit: 2 })).status).toBe(201);

    const overCap = await call('POST', '/api/collections', many(10_001, (i) => ({ name: `c${i}` })), { bulkLimit: 50_000 });
    expect(overCap.status).toBe(400);
    expect(overCap.body.error.en).toContain('at most 10000');
    expect((await call('GET', '/api/collections')).headers.get('x-total-count')).toBe('2');
  });

  it('accepts a full batch of 10,000', async () => {
    const { call } = workspace();
    const reply = await call('POST', '/api/collections', many(10_000, (i) => ({ name: `c${i}`, description: 'd' })));
    expect(reply.status).toBe(201);
    expect(reply.body).toHaveLength(10_000);
    expect(reply.body[9_999].name).toBe('c9999');
  });

  it('answers malformed JSON with the documented 400', async () => {
    const { call } = workspace();
    const reply = await call('POST', '/api/collections', '[{"name":', { raw: true });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({ en: 'Invalid request format', ar: 'تنسيق طلب غير صالح' });
  });
});

describe('GET /api/collections', () => {
  async function seed(call: ReturnType<typeof workspace>['call'], n: number) {
    const names: string[] = [];
    // Separate requests so createdAt differs between them.
    for (let i = 0; i < n; i++) {
      names.push(`c${i}`);
      await call('POST', '/api/collections', [{ name: `c${i}` }]);
    }
    return names;
  }

  it('lists newest first by default, with X-Total-Count', async () => {
    const { call } = workspace();
    const names = await seed(call, 3);
    const reply = await call('GET', '/api/collections');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-total-count')).toBe('3');
    expect(reply.body.map((c: { name: string }) => c.name)).toEqual([...names].reverse());
  });

  it('sorts oldest first with sort=asc, also within one batch (input order)', async () => {
    const { call } = workspace();
    await call('POST', '/api/collections', [{ name: 'first' }, { name: 'second' }, { name: 'third' }]);
    const reply = await call('GET', '/api/collections?sort=asc');
    expect(reply.body.map((c: { name: string }) => c.name)).toEqual(['first', 'second', 'third']);
  });

  it('pages with take and skip; the total ignores paging', async () => {
    const { call } = workspace();
    await seed(call, 5);
    const page = await call('GET', '/api/collections?take=2&skip=1&sort=asc');
    expect(page.body.map((c: { name: string }) => c.name)).toEqual(['c1', 'c2']);
    expect(page.headers.get('x-total-count')).toBe('5');
    const last = await call('GET', '/api/collections?take=2&skip=4&sort=asc');
    expect(last.body.map((c: { name: string }) => c.name)).toEqual(['c4']);
    const beyond = await call('GET', '/api/collections?skip=5');
    expect(beyond.body).toEqual([]);
    expect(beyond.headers.get('x-total-count')).toBe('5');
    expect((await call('GET', '/api/collections?take=1')).body).toHaveLength(1);
    expect((await call('GET', '/api/collections?take=10000')).body).toHaveLength(5);
  });

  it('filters by one id or by repeated ids', async () => {
    const { call } = workspace();
    const created = (await call('POST', '/api/collections', [{ name: 'a' }, { name: 'b' }, { name: 'c' }])).body;
    const one = await call('GET', `/api/collections?id=${created[1].id}`);
    expect(one.body).toEqual([created[1]]);
    expect(one.headers.get('x-total-count')).toBe('1');
    const two = await call('GET', `/api/collections?id=${created[0].id}&id=${created[2].id}&sort=asc`);
    expect(two.body).toEqual([created[0], created[2]]);
    expect((await call('GET', `/api/collections?id=${unknownId()}`)).body).toEqual([]);
  });

  it.each([
    ['take=0', 'take'],
    ['take=10001', 'take'],
    ['take=abc', 'take'],
    ['take=1.5', 'take'],
    ['skip=-1', 'skip'],
    ['sort=up', 'sort'],
    ['id=not-a-uuid', 'id'],
    ['name=x', 'name'],
  ])('rejects %s (400 naming %s)', async (query, field) => {
    const { call } = workspace();
    expectInvalid(await call('GET', `/api/collections?${query}`), { path: expect.stringContaining(field) as unknown as string });
  });
});

describe('PUT /api/collections', () => {
  it('updates only the given fields and creates items without id, in input order (200)', async () => {
    const { call } = workspace();
    const [a] = (await call('POST', '/api/collections', [{ name: 'A', description: 'keep me' }])).body;
    const reply = await call('PUT', '/api/collections', [{ name: 'New' }, { id: a.id, name: 'A2' }]);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([
      { id: expect.any(String), name: 'New', description: null, createdAt: expect.stringMatching(ISO), updatedAt: expect.stringMatching(ISO) },
      { ...a, name: 'A2', updatedAt: expect.stringMatching(ISO) },
    ]);
    expect(reply.body[1].description).toBe('keep me');
    expect(reply.body[1].createdAt).toBe(a.createdAt);
    expect((await call('GET', '/api/collections')).headers.get('x-total-count')).toBe('2');
  });

  it('clears the description with null', async () => {
    const { call } = workspace();
    const [a] = (await call('POST', '/api/collections', [{ name: 'A', description: 'old' }])).body;
    const reply = await call('PUT', '/api/collections', [{ id: a.id, description: null }]);
    expect(reply.body[0]).toMatchObject({ id: a.id, name: 'A', description: null });
    expect((await call('GET', `/api/collections?id=${a.id}`)).body[0].description).toBeNull();
  });

  it('fails the whole request on an unknown id (400), changing and creating nothing', async () => {
    const { call } = workspace();
    const [a] = (await call('POST', '/api/collections', [{ name: 'A' }])).body;
    const missing = unknownId();
    const reply = await call('PUT', '/api/collections', [{ id: a.id, name: 'changed' }, { name: 'new' }, { id: missing, name: 'x' }]);
    expectInvalid(reply, { path: '[2].id' });
    expect(reply.body.error.en).toBe(`Collection not found in your workspace: ${missing}`);
    const after = await call('GET', '/api/collections');
    expect(after.body).toEqual([a]);
  });

  it.each([
    ['a create without name', [{ description: 'x' }], '[0].name'],
    ['a null name', [{ id: randomUUID(), name: null }], '[0].name'],
    ['an invalid id', [{ id: 'nope', name: 'x' }], '[0].id'],
    ['an unknown field', [{ name: 'x', extra: 1 }], '[0].extra'],
    ['a non-array body', { name: 'x' }, ''],
    ['an empty array', [], ''],
  ])('rejects %s (400)', async (_case, body, path) => {
    const { call } = workspace();
    expectInvalid(await call('PUT', '/api/collections', body), { path });
  });

  it('rejects the same id twice in one batch', async () => {
    const { call } = workspace();
    const [a] = (await call('POST', '/api/collections', [{ name: 'A' }])).body;
    expectInvalid(await call('PUT', '/api/collections', [{ id: a.id, name: 'x' }, { id: a.id, name: 'y' }]), { path: '[1].id' });
  });

  it('accepts ids in upper case or braces', async () => {
    const { call } = workspace();
    const [a] = (await call('POST', '/api/collections', [{ name: 'A' }])).body;
    const reply = await call('PUT', '/api/collections', [{ id: `{${a.id.toUpperCase()}}`, name: 'B' }]);
    expect(reply.status).toBe(200);
    expect(reply.body[0]).toMatchObject({ id: a.id, name: 'B' });
  });

  it('refuses more items than the plan allows', async () => {
    const { call } = workspace();
    const reply = await call('PUT', '/api/collections', many(4, (i) => ({ name: `c${i}` })), { bulkLimit: 3 });
    expect(reply.status).toBe(400);
    expect(reply.body.error.en).toContain('at most 3');
  });
});

describe('DELETE /api/collections', () => {
  it('soft-deletes: the rows stay in the database but vanish from GET, PUT and lookups', async () => {
    const { call } = workspace();
    const [a, b] = (await call('POST', '/api/collections', [{ name: 'A' }, { name: 'B' }])).body;
    const reply = await call('DELETE', '/api/collections', [a.id]);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ deletedIds: [a.id] });

    const list = await call('GET', '/api/collections');
    expect(list.body).toEqual([b]);
    expect(list.headers.get('x-total-count')).toBe('1');
    expect((await call('GET', `/api/collections?id=${a.id}`)).body).toEqual([]);
    expectInvalid(await call('PUT', '/api/collections', [{ id: a.id, name: 'back' }]), { path: '[0].id' });
    expect((await call('POST', '/internal/collections/lookup', { ids: [a.id, b.id] })).body).toEqual({ existing: [b.id] });
    expectInvalid(await call('DELETE', '/api/collections', [a.id]), { path: '[0]' });

    const stored = await stack.db.query('SELECT name, deleted_at FROM collections WHERE id = $1', [a.id]);
    expect(stored.rows).toEqual([{ name: 'A', deleted_at: expect.any(Date) }]);
  });

  it('deletes nothing when one id is unknown or invalid (400)', async () => {
    const { call } = workspace();
    const [a] = (await call('POST', '/api/collections', [{ name: 'A' }])).body;
    const missing = unknownId();
    const unknown = await call('DELETE', '/api/collections', [a.id, missing]);
    expectInvalid(unknown, { path: '[1]' });
    expect(unknown.body.error.en).toContain(missing);
    expectInvalid(await call('DELETE', '/api/collections', ['invalid-id']), { path: '[0]' });
    expect((await call('GET', '/api/collections')).body).toEqual([a]);
  });

  it.each([
    ['an empty array', []],
    ['an object', { ids: [] }],
    ['numbers', [1]],
  ])('rejects %s (400)', async (_case, body) => {
    const { call } = workspace();
    expectInvalid(await call('DELETE', '/api/collections', body));
  });

  it('refuses more than 10,000 ids', async () => {
    const { call } = workspace();
    const reply = await call('DELETE', '/api/collections', many(10_001, () => randomUUID()));
    expect(reply.status).toBe(400);
    expect(reply.body.error.en).toContain('at most 10000');
  });

  it('reports each repeated id once', async () => {
    const { call } = workspace();
    const [a] = (await call('POST', '/api/collections', [{ name: 'A' }])).body;
    expect((await call('DELETE', '/api/collections', [a.id, a.id])).body).toEqual({ deletedIds: [a.id] });
  });

  it('publishes collection.deleted to catalog.v1 through the outbox', async () => {
    const { call, workspaceId } = workspace();
    const [a] = (await call('POST', '/api/collections', [{ name: 'A' }])).body;
    await call('DELETE', '/api/collections', [a.id]);
    const [received] = await eventually(() => (stack.kafkaProbe.of(workspaceId).length ? stack.kafkaProbe.of(workspaceId) : null));
    expect(received.key).toBe(a.id);
    expect(received.event).toEqual({ id: expect.any(String), type: 'collection.deleted', occurredAt: expect.stringMatching(ISO), workspaceId, data: { collectionId: a.id } });
  });
});

describe('POST /internal/collections/lookup', () => {
  it('answers which ids exist, in input order, ignoring repeats, non-UUIDs and other workspaces', async () => {
    const { call } = workspace();
    const other = workspace();
    const [a, b] = (await call('POST', '/api/collections', [{ name: 'A' }, { name: 'B' }])).body;
    const [foreign] = (await other.call('POST', '/api/collections', [{ name: 'F' }])).body;
    const reply = await call('POST', '/internal/collections/lookup', { ids: [b.id, 'junk', unknownId(), foreign.id, a.id, b.id] });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ existing: [b.id, a.id] });
    expect((await call('POST', '/internal/collections/lookup', { ids: [] })).body).toEqual({ existing: [] });
    expect((await call('POST', '/internal/collections/lookup', { ids: [a.id.toUpperCase()] })).body).toEqual({ existing: [a.id.toUpperCase()] });
  });

  it('rejects bad bodies, more than 10,000 ids, and requests without a workspace (400)', async () => {
    const { call } = workspace();
    expectInvalid(await call('POST', '/internal/collections/lookup', [randomUUID()]));
    expectInvalid(await call('POST', '/internal/collections/lookup', {}), { path: 'ids' });
    expectInvalid(await call('POST', '/internal/collections/lookup', { ids: many(10_001, () => randomUUID()) }), { path: 'ids' });
    expectInvalid(await call('POST', '/internal/collections/lookup', { ids: [] }, { workspaceId: '' }), { path: 'x-hop-workspace-id' });
  });

  it('accepts 10,000 ids', async () => {
    const { call } = workspace();
    const [a] = (await call('POST', '/api/collections', [{ name: 'A' }])).body;
    const reply = await call('POST', '/internal/collections/lookup', { ids: [...many(9_999, () => randomUUID()), a.id] });
    expect(reply.body).toEqual({ existing: [a.id] });
  });
});

describe('gateway proof', () => {
  it.each([
    ['GET', '/api/collections'],
    ['POST', '/internal/collections/lookup'],
  ])('refuses %s %s without it (401)', async (method, url) => {
    const reply = await gatewayClient(stack.service.url)(method, url, method === 'POST' ? { ids: [] } : undefined, { unsigned: true });
    expect(reply.status).toBe(401);
    expect(reply.body.error.en).toBe('Request did not come through the gateway');
  });
});

describe('workspace header', () => {
  it('must be a UUID (400 naming it)', async () => {
    const call = gatewayClient(stack.service.url, { workspaceId: 'ws-1' });
    expectInvalid(await call('GET', '/api/collections'), { path: 'x-hop-workspace-id' });
    expectInvalid(await call('POST', '/api/collections', [{ name: 'x' }]), { path: 'x-hop-workspace-id' });
  });
});

describe('workspace isolation', () => {
  it("never shows or changes another workspace's collections", async () => {
    const a = workspace();
    const b = workspace();
    const [mine] = (await a.call('POST', '/api/collections', [{ name: 'Mine', description: 'private' }])).body;

    const list = await b.call('GET', '/api/collections');
    expect(list.body).toEqual([]);
    expect(list.headers.get('x-total-count')).toBe('0');
    expect((await b.call('GET', `/api/collections?id=${mine.id}`)).body).toEqual([]);
    expectInvalid(await b.call('PUT', '/api/collections', [{ id: mine.id, name: 'stolen' }]), { path: '[0].id' });
    expectInvalid(await b.call('DELETE', '/api/collections', [mine.id]), { path: '[0]' });
    expect((await b.call('POST', '/internal/collections/lookup', { ids: [mine.id] })).body).toEqual({ existing: [] });

    expect((await a.call('GET', '/api/collections')).body).toEqual([mine]);
  });
});
