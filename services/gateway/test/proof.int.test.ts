import { TestInfra } from '@hop/testing';
import { loadCatalogConfig } from '../../catalog/src/config';
import { start as startCatalog } from '../../catalog/src/main';
import { startGateway, type GatewayHarness } from './harness';

/** The gateway in front of the real catalog service: only requests carrying the gateway's proof get in. */
const infra = new TestInfra();
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let gw: GatewayHarness;

beforeAll(async () => {
  catalog = await startCatalog(loadCatalogConfig(infra.serviceEnv('catalog')));
  gw = await startGateway(infra, {}, { catalog: catalog.url });
});

afterAll(async () => {
  await gw?.close();
  await catalog?.close();
  await infra.cleanup();
});

const PROOF_MISSING = { en: 'Request did not come through the gateway', ar: 'لم يمر الطلب عبر البوابة' };

describe('a direct request to a service, bypassing the gateway', () => {
  it.each([
    ['no proof at all', {}],
    ['spoofed context headers without a proof', { 'x-hop-workspace-id': '11111111-1111-4111-8111-111111111111', 'x-hop-scopes': 'collectionsRead' }],
    [
      'a forged signature',
      {
        'x-hop-workspace-id': '11111111-1111-4111-8111-111111111111',
        'x-hop-timestamp': String(Date.now()),
        'x-hop-signature': 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      },
    ],
    ['an API key (services do not take keys)', { authorization: 'Bearer hop_0123456789012345678901234567890123456789' }],
  ])('is rejected: %s', async (_name, headers) => {
    const res = await fetch(`${catalog.url}/api/collections`, { headers });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: unknown }).error).toEqual(PROOF_MISSING);
  });
});

describe('the same request through the gateway', () => {
  it('is accepted and scoped to the key’s workspace', async () => {
    const mine = await gw.createKey(await gw.createWorkspace(), { scopes: ['collectionsRead', 'collectionsWrite'] });
    const theirs = await gw.createKey(await gw.createWorkspace(), { scopes: ['collectionsRead'] });
    const created = await gw.call('POST', '/api/collections', { key: mine.key, body: [{ name: 'Through the gateway' }] });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-ratelimit-limit')).toBe('60');

    const listed = await gw.call('GET', '/api/collections', { key: mine.key });
    expect(listed.status).toBe(200);
    expect(listed.body.map((c: { name: string }) => c.name)).toEqual(['Through the gateway']);
    expect((await gw.call('GET', '/api/collections', { key: theirs.key })).body).toEqual([]);
  });

  it('a service’s own validation error comes back unchanged, with the rate-limit headers added', async () => {
    const { key } = await gw.createKey(await gw.createWorkspace(), { scopes: ['collectionsWrite'] });
    const res = await gw.call('POST', '/api/collections', { key, body: [{}] });
    expect(res.status).toBe(400);
    expect(res.body.details[0]).toMatchObject({ index: 0, field: 'name' });
    expect(res.headers.get('x-ratelimit-remaining')).toBe('59');
  });
});
