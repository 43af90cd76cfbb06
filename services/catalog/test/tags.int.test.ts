import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { eventually, type GatewayReply as Reply } from '@hop/testing';
import { TAG_COLORS } from '../src/domain/tag';
import { many, unknownId, workspaceClient } from './client';
import { catalogUnderTest } from './stack';

const stack = catalogUnderTest();
const { infra } = stack;

const workspace = () => workspaceClient(stack.service.url);

function expectInvalid(reply: Reply, path?: string) {
  expect(reply.status).toBe(400);
  expect(reply.body.error).toEqual({ en: expect.any(String), ar: expect.any(String) });
  if (path !== undefined) expect(reply.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
}

const names = (reply: Reply) => reply.body.map((t: { name: string }) => t.name);

describe('POST /api/tags', () => {
  it('creates tags in input order; color defaults to slate (201)', async () => {
    const { call } = workspace();
    const reply = await call('POST', '/api/tags', [{ name: 'Marketing', color: 'blue' }, { name: 'Plain' }]);
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual([
      { id: expect.any(String), name: 'Marketing', color: 'blue' },
      { id: expect.any(String), name: 'Plain', color: 'slate' },
    ]);
  });

  it('accepts each of the 22 documented colors', async () => {
    const { call } = workspace();
    expect(TAG_COLORS).toHaveLength(22);
    const reply = await call('POST', '/api/tags', TAG_COLORS.map((color) => ({ name: `tag ${color}`, color })));
    expect(reply.status).toBe(201);
    expect(reply.body.map((t: { color: string }) => t.color)).toEqual([...TAG_COLORS]);
  });

  it.each([['magenta'], ['Blue'], [''], [null], [7]])('rejects color %p, listing the allowed values (400)', async (color) => {
    const { call } = workspace();
    const reply = await call('POST', '/api/tags', [{ name: 'ok' }, { name: 'x', color }]);
    expectInvalid(reply, '[1].color');
    if (typeof color === 'string' && color) {
      const message: string = reply.body.details[0].message;
      for (const allowed of TAG_COLORS) expect(message).toContain(allowed);
    }
    expect((await call('GET', '/api/tags')).body).toEqual([]);
  });

  it.each([
    ['a missing name', [{ color: 'red' }], '[0].name'],
    ['an unknown field', [{ name: 'a', description: 'x' }], '[0].description'],
    ['a non-array body', { name: 'a' }, ''],
    ['an empty array', [], ''],
  ])('rejects %s (400)', async (_case, body, path) => {
    const { call } = workspace();
    expectInvalid(await call('POST', '/api/tags', body), path);
  });

  it('refuses more items than the plan allows', async () => {
    const { call } = workspace();
    const reply = await call('POST', '/api/tags', many(6, (i) => ({ name: `t${i}` })), { bulkLimit: 5 });
    expect(reply.status).toBe(400);
    expect(reply.body.error.en).toContain('at most 5');
  });
});

describe('tag names are unique per workspace, ignoring case', () => {
  it('rejects a repeat within the batch, naming it (nothing created)', async () => {
    const { call } = workspace();
    const reply = await call('POST', '/api/tags', [{ name: 'Sale' }, { name: 'other' }, { name: 'SALE' }]);
    expectInvalid(reply, '[2].name');
    expect(reply.body.error.en).toBe('A tag named "SALE" already exists');
    expect((await call('GET', '/api/tags')).body).toEqual([]);
  });

  it('rejects the name of an existing tag, in POST and in PUT', async () => {
    const { call } = workspace();
    const [sale, promo] = (await call('POST', '/api/tags', [{ name: 'Sale' }, { name: 'Promo' }])).body;
    const created = await call('POST', '/api/tags', [{ name: 'sale' }]);
    expectInvalid(created, '[0].name');
    expect(created.body.error.en).toBe('A tag named "sale" already exists');
    expectInvalid(await call('PUT', '/api/tags', [{ id: promo.id, name: 'SALE' }]), '[0].name');
    expect((await call('GET', '/api/tags?sort=asc')).body).toEqual([sale, promo]);
  });

  it("lets a tag change the case of its own name, and take a name another tag gives up in the same batch", async () => {
    const { call } = workspace();
    const [sale, promo] = (await call('POST', '/api/tags', [{ name: 'Sale' }, { name: 'Promo' }])).body;
    expect((await call('PUT', '/api/tags', [{ id: sale.id, name: 'SALE' }])).body).toEqual([{ ...sale, name: 'SALE' }]);
    const reply = await call('PUT', '/api/tags', [{ id: promo.id, name: 'Old promo' }, { name: 'promo' }]);
    expect(reply.status).toBe(200);
    expect(names(reply)).toEqual(['Old promo', 'promo']);
  });

  it('allows the same name in another workspace', async () => {
    const a = workspace();
    const b = workspace();
    expect((await a.call('POST', '/api/tags', [{ name: 'Shared' }])).status).toBe(201);
    expect((await b.call('POST', '/api/tags', [{ name: 'shared' }])).status).toBe(201);
  });

  it('reports a name taken by a concurrent transaction (caught by the unique index) as a duplicate', async () => {
    const { call, workspaceId } = workspace();
    const other = new Client({ connectionString: infra.databaseUrl('catalog') });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`INSERT INTO tags (id, workspace_id, name) VALUES ($1, $2, 'Held')`, [randomUUID(), workspaceId]);
      // The API's check cannot see the uncommitted row; its insert waits on the index until we commit.
      const pending = call('POST', '/api/tags', [{ name: 'held' }]);
      await eventually(async () => {
        const waiting = await stack.db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO tags%'`);
        return waiting.rowCount;
      });
      await other.query('COMMIT');
      const reply = await pending;
      expect(reply.status).toBe(400);
      expect(reply.body.error.en).toBe('A tag named "held" already exists');
    } finally {
      await other.end();
    }
  });

  it('holds under concurrent creates: exactly one wins', async () => {
    const { call } = workspace();
    const replies = await Promise.all(many(5, () => call('POST', '/api/tags', [{ name: 'Race' }])));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 400, 400, 400, 400]);
    for (const r of replies.filter((r) => r.status === 400)) expect(r.body.error.en).toMatch(/^A tag named "race" already exists$/i);
    expect((await call('GET', '/api/tags')).body).toHaveLength(1);
  });
});

describe('GET /api/tags', () => {
  it('sorts by tag id, which follows creation: desc by default, asc on request', async () => {
    const { call } = workspace();
    await call('POST', '/api/tags', [{ name: 'one' }, { name: 'two' }]);
    await call('POST', '/api/tags', [{ name: 'three' }]);
    const desc = await call('GET', '/api/tags');
    expect(desc.status).toBe(200);
    expect(names(desc)).toEqual(['three', 'two', 'one']);
    expect(desc.headers.get('x-total-count')).toBe('3');
    const asc = await call('GET', '/api/tags?sort=asc');
    expect(names(asc)).toEqual(['one', 'two', 'three']);
    const ids = asc.body.map((t: { id: string }) => t.id);
    expect([...ids].sort()).toEqual(ids);
  });

  it('pages with take and skip and filters by (repeated) id', async () => {
    const { call } = workspace();
    const tags = (await call('POST', '/api/tags', many(4, (i) => ({ name: `t${i}` })))).body;
    const page = await call('GET', '/api/tags?sort=asc&take=2&skip=2');
    expect(names(page)).toEqual(['t2', 't3']);
    expect(page.headers.get('x-total-count')).toBe('4');
    expect((await call('GET', '/api/tags?skip=4')).body).toEqual([]);
    expect((await call('GET', `/api/tags?id=${tags[1].id}`)).body).toEqual([tags[1]]);
    expect((await call('GET', `/api/tags?id=${tags[3].id}&id=${tags[0].id}&sort=asc`)).body).toEqual([tags[0], tags[3]]);
  });

  it.each([['take=0'], ['take=10001'], ['skip=-1'], ['sort=random'], ['id=1'], ['color=red']])('rejects %s (400)', async (query) => {
    const { call } = workspace();
    expectInvalid(await call('GET', `/api/tags?${query}`));
  });
});

describe('PUT /api/tags', () => {
  it('updates given fields, keeps the rest, creates items without id with slate (200)', async () => {
    const { call } = workspace();
    const [tag] = (await call('POST', '/api/tags', [{ name: 'Tag', color: 'red' }])).body;
    const reply = await call('PUT', '/api/tags', [{ id: tag.id, color: 'green' }, { name: 'New' }]);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([
      { id: tag.id, name: 'Tag', color: 'green' },
      { id: expect.any(String), name: 'New', color: 'slate' },
    ]);
  });

  it('fails the whole request on an unknown id, changing nothing', async () => {
    const { call } = workspace();
    const [tag] = (await call('POST', '/api/tags', [{ name: 'Tag' }])).body;
    const reply = await call('PUT', '/api/tags', [{ id: tag.id, name: 'Changed' }, { id: unknownId(), name: 'x' }, { name: 'Created' }]);
    expectInvalid(reply, '[1].id');
    expect((await call('GET', '/api/tags')).body).toEqual([tag]);
  });

  it.each([
    ['a null color', [{ id: randomUUID(), color: null }], '[0].color'],
    ['an unknown color', [{ name: 'x', color: 'gold' }], '[0].color'],
    ['a create without name', [{ color: 'red' }], '[0].name'],
    ['an unknown field', [{ name: 'x', createdAt: 'now' }], '[0].createdAt'],
  ])('rejects %s (400)', async (_case, body, path) => {
    const { call } = workspace();
    expectInvalid(await call('PUT', '/api/tags', body), path);
  });
});

describe('DELETE /api/tags', () => {
  it('hard-deletes: the rows are gone and the names free again (200)', async () => {
    const { call } = workspace();
    const [a, b] = (await call('POST', '/api/tags', [{ name: 'A' }, { name: 'B' }])).body;
    const reply = await call('DELETE', '/api/tags', [a.id]);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ deletedIds: [a.id] });
    expect((await call('GET', '/api/tags')).body).toEqual([b]);
    expect((await stack.db.query('SELECT id FROM tags WHERE id = $1', [a.id])).rowCount).toBe(0);
    expect((await call('POST', '/internal/tags/lookup', { ids: [a.id, b.id] })).body).toEqual({ existing: [b.id] });
    expect((await call('POST', '/api/tags', [{ name: 'a' }])).status).toBe(201);
  });

  it('deletes nothing when one id is unknown or invalid (400)', async () => {
    const { call } = workspace();
    const [a] = (await call('POST', '/api/tags', [{ name: 'A' }])).body;
    expectInvalid(await call('DELETE', '/api/tags', [a.id, unknownId()]), '[1]');
    expectInvalid(await call('DELETE', '/api/tags', [a.id, 'invalid-id']), '[1]');
    expectInvalid(await call('DELETE', '/api/tags', []), '');
    expect((await call('GET', '/api/tags')).body).toEqual([a]);
  });

  it('publishes tag.deleted for each deleted tag to catalog.v1, keyed by tag id', async () => {
    const { call, workspaceId } = workspace();
    const [a, b] = (await call('POST', '/api/tags', [{ name: 'A' }, { name: 'B' }])).body;
    await call('DELETE', '/api/tags', [a.id, b.id]);
    const received = await eventually(() => (stack.kafkaProbe.of(workspaceId).length === 2 ? stack.kafkaProbe.of(workspaceId) : null));
    expect(received.map((r) => r.event.type)).toEqual(['tag.deleted', 'tag.deleted']);
    for (const { key, event } of received) expect(event.data).toEqual({ tagId: key });
    expect(received.map((r) => r.key).sort()).toEqual([a.id, b.id].sort());
    expect(new Set(received.map((r) => r.event.id)).size).toBe(2);
  });

  it('publishes nothing when the delete fails', async () => {
    const { call, workspaceId } = workspace();
    const [a] = (await call('POST', '/api/tags', [{ name: 'A' }])).body;
    expectInvalid(await call('DELETE', '/api/tags', [a.id, unknownId()]));
    const outbox = await stack.db.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'workspaceId' = $1`, [workspaceId]);
    expect(outbox.rows[0].n).toBe(0);
  });
});

describe('POST /internal/tags/lookup', () => {
  it('answers which ids exist in the workspace', async () => {
    const { call } = workspace();
    const other = workspace();
    const [a] = (await call('POST', '/api/tags', [{ name: 'A' }])).body;
    const [foreign] = (await other.call('POST', '/api/tags', [{ name: 'F' }])).body;
    const reply = await call('POST', '/internal/tags/lookup', { ids: [foreign.id, a.id, unknownId()] });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ existing: [a.id] });
    expectInvalid(await call('POST', '/internal/tags/lookup', { ids: 'x' }), 'ids');
  });
});

describe('workspace isolation', () => {
  it("never shows or changes another workspace's tags", async () => {
    const a = workspace();
    const b = workspace();
    const [mine] = (await a.call('POST', '/api/tags', [{ name: 'Mine', color: 'rose' }])).body;
    const list = await b.call('GET', '/api/tags');
    expect(list.body).toEqual([]);
    expect(list.headers.get('x-total-count')).toBe('0');
    expect((await b.call('GET', `/api/tags?id=${mine.id}`)).body).toEqual([]);
    expectInvalid(await b.call('PUT', '/api/tags', [{ id: mine.id, color: 'red' }]), '[0].id');
    expectInvalid(await b.call('DELETE', '/api/tags', [mine.id]), '[0]');
    expect((await b.call('POST', '/internal/tags/lookup', { ids: [mine.id] })).body).toEqual({ existing: [] });
    expect((await a.call('GET', '/api/tags')).body).toEqual([mine]);
  });
});
