import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { TestInfra } from '@hop/testing';
import { PeerStandIn, call, leadBody, startConversion, writeRecentClick, type Json } from './support';

const infra = new TestInfra();
const peers = new PeerStandIn();
let service: Awaited<ReturnType<typeof startConversion>>;
let redis: Redis;

const WS = randomUUID();
const OTHER_WS = randomUUID();
/** WS's customers, oldest first. */
const customers: Json[] = [];
let foreignCustomer: Json;

async function trackLead(workspaceId: string, externalId: string, extra: Record<string, unknown> = {}) {
  const link = peers.addLink(workspaceId);
  const click = await writeRecentClick(redis, { linkId: link.id, workspaceId });
  const reply = await call(service.url, 'POST', '/api/track/lead', {
    workspaceId,
    body: leadBody({ clickId: click.clickId, customerExternalId: externalId, customerName: `Name ${externalId}`, ...extra }),
  });
  expect(reply.status).toBe(201);
  return reply.body.customer;
}

beforeAll(async () => {
  await peers.start();
  service = await startConversion(infra, { analytics: peers.url, link: peers.url });
  redis = infra.redis();
  for (let i = 0; i < 5; i++) customers.push(await trackLead(WS, `ext_${i}`, i === 0 ? { customerEmail: 'zero@example.com' } : {}));
  foreignCustomer = await trackLead(OTHER_WS, 'ext_0');
});

afterAll(async () => {
  await service?.close();
  redis?.disconnect();
  await peers.stop();
  await infra.cleanup();
});

const list = (query = '', workspaceId = WS) => call(service.url, 'GET', `/api/customers${query}`, { workspaceId });
const ids = (body: Json[]) => body.map((c) => c.id);
const newestFirst = () => ids([...customers].reverse());

describe('GET /api/customers', () => {
  test("lists the workspace's customers newest first with every documented field and X-Total-Count", async () => {
    const reply = await list();
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-total-count')).toBe('5');
    expect(ids(reply.body)).toEqual(newestFirst());
    const oldest = reply.body[4];
    expect(Object.keys(oldest).sort()).toEqual(['avatar', 'createdAt', 'email', 'externalId', 'id', 'name', 'phone', 'updatedAt']);
    expect(oldest).toEqual({
      id: customers[0].id,
      externalId: 'ext_0',
      name: 'Name ext_0',
      email: 'zero@example.com',
      phone: null,
      avatar: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  test('sort=asc lists oldest first', async () => {
    expect(ids((await list('?sort=asc')).body)).toEqual(ids(customers));
  });

  test('take and skip page through the list; the total stays the full count', async () => {
    const page = await list('?take=2&skip=1');
    expect(ids(page.body)).toEqual(newestFirst().slice(1, 3));
    expect(page.headers.get('x-total-count')).toBe('5');
    const last = await list('?take=2&skip=4');
    expect(ids(last.body)).toEqual(newestFirst().slice(4));
    expect((await list('?skip=10')).body).toEqual([]);
    expect((await list('?take=10000')).body).toHaveLength(5);
  });

  test('filters by id (one or repeated) and by externalId', async () => {
    expect(ids((await list(`?id=${customers[2].id}`)).body)).toEqual([customers[2].id]);
    expect(ids((await list(`?id=${customers[1].id}&id=${customers[3].id}&sort=asc`)).body)).toEqual([customers[1].id, customers[3].id]);
    expect(ids((await list('?externalId=ext_4')).body)).toEqual([customers[4].id]);
    const both = await list(`?id=${customers[0].id}&externalId=ext_1`);
    expect(both.body).toEqual([]);
    expect(both.headers.get('x-total-count')).toBe('0');
  });

  test("never shows another workspace's customers, even by id", async () => {
    const reply = await list(`?id=${foreignCustomer.id}`);
    expect(reply.body).toEqual([]);
    expect(ids((await list('?externalId=ext_0')).body)).toEqual([customers[0].id]);
    const theirs = await list('', OTHER_WS);
    expect(ids(theirs.body)).toEqual([foreignCustomer.id]);
    expect(theirs.headers.get('x-total-count')).toBe('1');
  });

  test.each([
    ['take 0', 'take=0', 'take'],
    ['take over 10,000', 'take=10001', 'take'],
    ['take not a number', 'take=abc', 'take'],
    ['negative skip', 'skip=-1', 'skip'],
    ['unknown sort', 'sort=up', 'sort'],
    ['id not a UUID', 'id=not-a-uuid', 'id'],
    ['one repeated id not a UUID', `id=${randomUUID()}&id=not-a-uuid`, 'id'],
    ['externalId over 100 characters', `externalId=${'x'.repeat(101)}`, 'externalId'],
    ['an unknown parameter', 'colour=red', 'colour'],
  ])('%s → 400 naming the parameter', async (_name, query, field) => {
    const reply = await list(`?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({ en: 'Invalid request', ar: 'طلب غير صالح' });
    expect(reply.body.details.map((d: { path: string }) => d.path.split('.')[0])).toContain(field);
  });

  test.each(['POST', 'PUT', 'DELETE', 'PATCH'])('%s /api/customers → 405 in the error shape', async (method) => {
    const reply = await call(service.url, method, '/api/customers', { workspaceId: WS, body: [{ externalId: 'x', name: 'x' }] });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('GET');
    expect(reply.body.error).toEqual({ en: 'Method not allowed', ar: 'الطريقة غير مسموح بها' });
    expect((await list()).headers.get('x-total-count')).toBe('5');
  });
});
