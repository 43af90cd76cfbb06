import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TestInfra, gatewayClient, type GatewayReply as Reply } from '@hop/testing';
import { loadPartnerConfig } from '../src/config';
import { start } from '../src/main';

const infra = new TestInfra();
let service: Awaited<ReturnType<typeof start>>;
let db: Client;

beforeAll(async () => {
  service = await start(loadPartnerConfig(infra.serviceEnv('partner')));
  db = new Client({ connectionString: infra.databaseUrl('partner') });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await service?.close();
  await infra.cleanup();
});

/** A client for a fresh workspace, so tests never see each other's rows. */
const workspace = () => {
  const workspaceId = randomUUID();
  return { workspaceId, call: gatewayClient(service.url, { workspaceId, plan: 'enterprise' }) };
};
type Call = ReturnType<typeof workspace>['call'];

const many = <T>(n: number, item: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => item(i));
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function expectInvalid(reply: Reply, path?: string, message?: RegExp) {
  expect(reply.status).toBe(400);
  expect(reply.body.error).toEqual({ en: expect.any(String), ar: expect.any(String) });
  if (path !== undefined) {
    expect(reply.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path, ...(message ? { message: expect.stringMatching(message) } : {}) })]),
    );
  }
}

const names = (reply: Reply) => reply.body.map((p: { name: string }) => p.name);
const create = async (call: Call, items: object[]) => (await call('POST', '/api/partners', items)).body;

describe('POST /api/partners', () => {
  it('creates partners in input order with every field present (201)', async () => {
    const { call } = workspace();
    const reply = await call('POST', '/api/partners', [
      { name: 'Partner Name', email: 'partner@example.com', phone: '+1234567890' },
      { name: 'Bare' },
    ]);
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual([
      { id: expect.any(String), name: 'Partner Name', email: 'partner@example.com', phone: '+1234567890', createdAt: expect.stringMatching(ISO), updatedAt: expect.stringMatching(ISO) },
      { id: expect.any(String), name: 'Bare', email: null, phone: null, createdAt: expect.stringMatching(ISO), updatedAt: expect.stringMatching(ISO) },
    ]);
    expect(Object.keys(reply.body[0])).toEqual(['id', 'name', 'email', 'phone', 'createdAt', 'updatedAt']);
  });

  it.each([
    ['a missing name', [{ email: 'a@b.co' }], '[0].name', /required/],
    ['an invalid email', [{ name: 'a', email: 'not-an-email' }], '[0].email', /email/],
    ['an email without domain', [{ name: 'a', email: 'a@' }], '[0].email', /email/],
    ['a phone longer than 64 characters', [{ name: 'a', phone: '1'.repeat(65) }], '[0].phone', /64/],
    ['a phone that is not a string', [{ name: 'a', phone: 123 }], '[0].phone', /string/],
    ['an unknown field', [{ name: 'a', company: 'x' }], '[0].company', /not allowed/],
    ['an id (POST only creates)', [{ name: 'a', id: randomUUID() }], '[0].id', /not allowed/],
    ['a non-array body', { name: 'a' }, '', /array/],
    ['an empty array', [], '', /at least 1/],
  ])('rejects %s (400, nothing created)', async (_case, body, path, message) => {
    const { call } = workspace();
    expectInvalid(await call('POST', '/api/partners', body), path, message);
    expect((await call('GET', '/api/partners')).headers.get('x-total-count')).toBe('0');
  });

  it('is all-or-nothing and names every bad item', async () => {
    const { call } = workspace();
    const reply = await call('POST', '/api/partners', [{ name: 'ok' }, { name: 'x', email: 'bad' }, { phone: '1' }]);
    expectInvalid(reply, '[1].email');
    expectInvalid(reply, '[2].name');
    expect((await call('GET', '/api/partners')).body).toEqual([]);
  });

  it('refuses more items than the plan allows, and never more than 10,000', async () => {
    const { call } = workspace();
    const overPlan = await call('POST', '/api/partners', many(3, (i) => ({ name: `p${i}` })), { bulkLimit: 2 });
    expect(overPlan.status).toBe(400);
    expect(overPlan.body.error.en).toBe('Too many items: at most 2 per request on your plan');
    const overCap = await call('POST', '/api/partners', many(10_001, (i) => ({ name: `p${i}` })), { bulkLimit: 20_000 });
    expect(overCap.status).toBe(400);
    expect(overCap.body.error.en).toContain('at most 10000');
    const full = await call('POST', '/api/partners', many(10_000, (i) => ({ name: `p${i}`, email: `p${i}@example.com` })));
    expect(full.status).toBe(201);
    expect(full.body).toHaveLength(10_000);
  });
});

describe('GET /api/partners', () => {
  it('sorts by createdAt, newest first by default, oldest first with sort=asc', async () => {
    const { call } = workspace();
    await create(call, [{ name: 'first' }, { name: 'second' }]);
    await create(call, [{ name: 'third' }]);
    const desc = await call('GET', '/api/partners');
    expect(desc.status).toBe(200);
    expect(names(desc)).toEqual(['third', 'second', 'first']);
    expect(desc.headers.get('x-total-count')).toBe('3');
    expect(names(await call('GET', '/api/partners?sort=asc'))).toEqual(['first', 'second', 'third']);
  });

  it('pages with take and skip; the total ignores paging', async () => {
    const { call } = workspace();
    await create(call, many(5, (i) => ({ name: `p${i}` })));
    const page = await call('GET', '/api/partners?sort=asc&take=2&skip=3');
    expect(names(page)).toEqual(['p3', 'p4']);
    expect(page.headers.get('x-total-count')).toBe('5');
    expect((await call('GET', '/api/partners?skip=5')).body).toEqual([]);
    expect((await call('GET', '/api/partners?take=1')).body).toHaveLength(1);
    expect((await call('GET', '/api/partners?take=10000')).body).toHaveLength(5);
  });

  it('filters by one id or repeated ids', async () => {
    const { call } = workspace();
    const [a, b, c] = await create(call, [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    expect((await call('GET', `/api/partners?id=${b.id}`)).body).toEqual([b]);
    expect((await call('GET', `/api/partners?id=${c.id}&id=${a.id}&sort=asc`)).body).toEqual([a, c]);
    expect((await call('GET', `/api/partners?id=${randomUUID()}`)).body).toEqual([]);
  });

  it.each([['take=0'], ['take=10001'], ['skip=-1'], ['sort=newest'], ['id=abc'], ['email=x@y.z']])('rejects %s (400)', async (query) => {
    const { call } = workspace();
    expectInvalid(await call('GET', `/api/partners?${query}`));
  });
});

describe('PUT /api/partners', () => {
  it('updates only given fields, null clears email and phone, items without id are created (200)', async () => {
    const { call } = workspace();
    const [p] = await create(call, [{ name: 'P', email: 'p@example.com', phone: '+1' }]);
    const reply = await call('PUT', '/api/partners', [{ id: p.id, name: 'Updated Partner', phone: null }, { name: 'New', email: 'n@example.com' }]);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([
      { ...p, name: 'Updated Partner', phone: null, updatedAt: expect.stringMatching(ISO) },
      { id: expect.any(String), name: 'New', email: 'n@example.com', phone: null, createdAt: expect.stringMatching(ISO), updatedAt: expect.stringMatching(ISO) },
    ]);
    const cleared = await call('PUT', '/api/partners', [{ id: p.id, email: null }]);
    expect(cleared.body[0]).toMatchObject({ name: 'Updated Partner', email: null, phone: null });
  });

  it('fails the whole request on an unknown id, changing and creating nothing', async () => {
    const { call } = workspace();
    const [p] = await create(call, [{ name: 'P' }]);
    const missing = randomUUID();
    const reply = await call('PUT', '/api/partners', [{ name: 'new' }, { id: p.id, name: 'changed' }, { id: missing }]);
    expectInvalid(reply, '[2].id');
    expect(reply.body.error.en).toBe(`Partner not found in your workspace: ${missing}`);
    expect((await call('GET', '/api/partners')).body).toEqual([p]);
  });

  it.each([
    ['a create without name', [{ email: 'a@b.co' }], '[0].name'],
    ['an invalid email', [{ id: randomUUID(), email: 'nope' }], '[0].email'],
    ['a null name', [{ id: randomUUID(), name: null }], '[0].name'],
    ['an invalid id', [{ id: '123', name: 'x' }], '[0].id'],
    ['an unknown field', [{ name: 'x', notes: 'y' }], '[0].notes'],
    ['an empty array', [], ''],
  ])('rejects %s (400)', async (_case, body, path) => {
    const { call } = workspace();
    expectInvalid(await call('PUT', '/api/partners', body), path);
  });

  it('rejects the same id twice in one batch', async () => {
    const { call } = workspace();
    const [p] = await create(call, [{ name: 'P' }]);
    expectInvalid(await call('PUT', '/api/partners', [{ id: p.id }, { id: p.id, name: 'x' }]), '[1].id');
  });
});

describe('DELETE /api/partners', () => {
  it('soft-deletes: the rows stay (links keep their partnerId) but vanish from the API', async () => {
    const { call } = workspace();
    const [a, b] = await create(call, [{ name: 'A' }, { name: 'B' }]);
    const reply = await call('DELETE', '/api/partners', [a.id]);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ deletedIds: [a.id] });
    expect((await call('GET', '/api/partners')).body).toEqual([b]);
    expect((await call('GET', `/api/partners?id=${a.id}`)).body).toEqual([]);
    expectInvalid(await call('PUT', '/api/partners', [{ id: a.id, name: 'back' }]), '[0].id');
    expectInvalid(await call('DELETE', '/api/partners', [a.id]), '[0]');
    expect((await call('POST', '/internal/partners/lookup', { ids: [a.id, b.id] })).body).toEqual({ existing: [b.id] });
    const stored = await db.query('SELECT name, deleted_at FROM partners WHERE id = $1', [a.id]);
    expect(stored.rows).toEqual([{ name: 'A', deleted_at: expect.any(Date) }]);
  });

  it('deletes nothing when one id is unknown or invalid (400)', async () => {
    const { call } = workspace();
    const [a] = await create(call, [{ name: 'A' }]);
    expectInvalid(await call('DELETE', '/api/partners', [a.id, randomUUID()]), '[1]');
    expectInvalid(await call('DELETE', '/api/partners', ['invalid-id']), '[0]');
    expect((await call('GET', '/api/partners')).body).toEqual([a]);
  });

  it.each([['an empty array', []], ['an object', { id: 'x' }], ['over 10,000 ids', many(10_001, () => randomUUID())]])(
    'rejects %s (400)',
    async (_case, body) => {
      const { call } = workspace();
      expectInvalid(await call('DELETE', '/api/partners', body));
    },
  );
});

describe('POST /internal/partners/lookup', () => {
  it('answers which ids are live partners of the workspace, in input order', async () => {
    const { call } = workspace();
    const other = workspace();
    const [a, b] = await create(call, [{ name: 'A' }, { name: 'B' }]);
    const [foreign] = await create(other.call, [{ name: 'F' }]);
    const reply = await call('POST', '/internal/partners/lookup', { ids: [b.id, foreign.id, 'junk', a.id, b.id, randomUUID()] });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ existing: [b.id, a.id] });
  });

  it('rejects bad bodies, more than 10,000 ids and requests without a workspace (400)', async () => {
    const { call } = workspace();
    expectInvalid(await call('POST', '/internal/partners/lookup', {}), 'ids');
    expectInvalid(await call('POST', '/internal/partners/lookup', { ids: many(10_001, () => randomUUID()) }), 'ids');
    expectInvalid(await call('POST', '/internal/partners/lookup', { ids: [] }, { workspaceId: '' }), 'x-hop-workspace-id');
  });

  it('is refused without the gateway proof (401)', async () => {
    const reply = await gatewayClient(service.url)('POST', '/internal/partners/lookup', { ids: [] }, { unsigned: true });
    expect(reply.status).toBe(401);
  });
});

describe('workspace isolation', () => {
  it("never shows or changes another workspace's partners", async () => {
    const a = workspace();
    const b = workspace();
    const [mine] = await create(a.call, [{ name: 'Mine', email: 'me@example.com' }]);
    const list = await b.call('GET', '/api/partners');
    expect(list.body).toEqual([]);
    expect(list.headers.get('x-total-count')).toBe('0');
    expect((await b.call('GET', `/api/partners?id=${mine.id}`)).body).toEqual([]);
    expectInvalid(await b.call('PUT', '/api/partners', [{ id: mine.id, name: 'stolen' }]), '[0].id');
    expectInvalid(await b.call('DELETE', '/api/partners', [mine.id]), '[0]');
    expect((await b.call('POST', '/internal/partners/lookup', { ids: [mine.id] })).body).toEqual({ existing: [] });
    expect((await a.call('GET', '/api/partners')).body).toEqual([mine]);
  });

  it('needs a UUID workspace header (400 naming it)', async () => {
    const reply = await gatewayClient(service.url, { workspaceId: 'ws-1' })('GET', '/api/partners');
    expectInvalid(reply, 'x-hop-workspace-id');
  });

  it('refuses /api calls without the gateway proof (401)', async () => {
    const reply = await gatewayClient(service.url)('GET', '/api/partners', undefined, { unsigned: true });
    expect(reply.status).toBe(401);
    expect(reply.body.error).toEqual({ en: 'Request did not come through the gateway', ar: expect.any(String) });
  });
});
