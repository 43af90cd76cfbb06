import http from 'node:http';
import { TestInfra } from '@hop/testing';
import { ROUTES } from '../src/domain/routes';
import { SCOPES } from '../src/domain/scopes';
import { closedPortUrl, startGateway, type Echo, type GatewayHarness } from './harness';

const infra = new TestInfra();
let gw: GatewayHarness;
let workspaceId: string;
let allScopesKey: string;

beforeAll(async () => {
  gw = await startGateway(infra, { BODY_LIMIT: '64kb', UPSTREAM_TIMEOUT_MS: '300' }, { analytics: await closedPortUrl() });
  workspaceId = await gw.createWorkspace({ plan: 'enterprise', rateLimit: 100_000 });
  allScopesKey = (await gw.createKey(workspaceId)).key;
});

afterAll(async () => {
  await gw?.close();
  await infra.cleanup();
});

const reachable = ROUTES.filter((r) => r.upstream !== 'analytics');
const label = (r: (typeof ROUTES)[number]) => `${r.method} ${r.path} needs ${r.scope}`;
/** A request path for a route: its `{parameters}` filled with an id. */
const concrete = (path: string) => path.replace(/\{\w+\}/g, '6f1c2a3b-0000-4000-8000-000000000001');

describe('scopes: the route table', () => {
  it.each(ROUTES.map((r) => [label(r), r] as const))('403 without it: %s', async (_label, route) => {
    const { key } = await gw.createKey(workspaceId, { scopes: SCOPES.filter((s) => s !== route.scope) });
    const res = await gw.call(route.method, concrete(route.path), { key, body: route.method === 'GET' ? undefined : [] });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-ratelimit-limit')).toBe('100000');
    if (route.path === '/v1/links') expect(res.body).toEqual({ success: false, status_code: 403, message: 'This action is unauthorized.' });
    else if (route.path.startsWith('/api/v1/external/')) expect(res.body.error_code).toBe('permission_denied');
    else {
      expect(res.body).toEqual({
        error: { en: 'Missing required scopes', ar: 'الصلاحيات المطلوبة مفقودة' },
        missingScopes: [route.scope],
      });
    }
  });

  it.each(reachable.map((r) => [label(r), r] as const))('proxied to the owning service with only it: %s', async (_label, route) => {
    const { key } = await gw.createKey(workspaceId, { scopes: [route.scope] });
    const res = await gw.call<Echo>(route.method, `${concrete(route.path)}?take=5`, { key, body: route.method === 'GET' ? undefined : [{ n: 1 }] });
    expect(res.status).toBe(200);
    expect(res.body.upstream).toBe(route.upstream);
    expect(res.body.method).toBe(route.method);
    expect(res.body.url).toBe(`${concrete(route.path)}?take=5`);
    expect(res.body.proofValid).toBe(true);
    expect(res.body.headers['x-hop-scopes']).toBe(route.scope);
  });

  it('the Partners PUT/DELETE pages say linksWrite, but partnersWrite is what they need (API Keys page)', async () => {
    const { key } = await gw.createKey(workspaceId, { scopes: ['linksWrite'] });
    expect((await gw.call('PUT', '/api/partners', { key, body: [] })).body.missingScopes).toEqual(['partnersWrite']);
    expect((await gw.call('DELETE', '/api/partners', { key, body: [] })).body.missingScopes).toEqual(['partnersWrite']);
  });
});

describe('what the services receive', () => {
  it('client-sent x-hop-* headers are dropped; the gateway sets the context and proof; the key is not forwarded', async () => {
    const res = await gw.call<Echo>('GET', '/api/links', {
      key: allScopesKey,
      headers: {
        'x-hop-workspace-id': '11111111-1111-4111-8111-111111111111',
        'x-hop-plan': 'free',
        'x-hop-scopes': 'everything',
        'x-hop-features': 'all',
        'x-hop-bulk-limit': '999999',
        'x-hop-key-id': 'forged',
        'x-hop-timestamp': String(Date.now()),
        'x-hop-signature': 'forged',
        'x-hop-anything-else': 'forged',
        'x-request-id': 'client-request-1',
      },
    });
    expect(res.status).toBe(200);
    const h = res.body.headers;
    expect(h['x-hop-workspace-id']).toBe(workspaceId);
    expect(h['x-hop-plan']).toBe('enterprise');
    expect(h['x-hop-scopes']).toBe(SCOPES.join(','));
    expect(h['x-hop-features']).toBe('linkExpiration,passwordProtection,linkCloaking,deviceTargeting,geoTargeting');
    expect(h['x-hop-bulk-limit']).toBe('10000');
    expect(h['x-hop-link-quota']).toBeUndefined(); // enterprise: unlimited
    expect(h['x-hop-key-id']).not.toBe('forged');
    expect(h['x-hop-signature']).not.toBe('forged');
    expect(h['x-hop-anything-else']).toBeUndefined();
    expect(h['x-request-id']).toBe('client-request-1');
    expect(h.authorization).toBeUndefined();
    expect(res.body.proofValid).toBe(true);
  });

  it.each([
    ['free', '', '100', '1000'],
    ['pro', 'linkExpiration,passwordProtection', '1000', '100000'],
    ['business', 'linkExpiration,passwordProtection,linkCloaking,deviceTargeting,geoTargeting', '10000', '1000000'],
  ])('plan %s forwards its features, bulk limit and link quota', async (plan, features, bulk, quota) => {
    const ws = await gw.createWorkspace({ plan });
    const { key } = await gw.createKey(ws);
    const h = (await gw.call<Echo>('GET', '/api/collections', { key })).body.headers;
    expect([h['x-hop-plan'], h['x-hop-features'], h['x-hop-bulk-limit'], h['x-hop-link-quota']]).toEqual([plan, features, bulk, quota]);
  });

  it('bodies are streamed through unparsed, byte for byte', async () => {
    const body = Array.from({ length: 200 }, (_, i) => ({ url: `https://example.com/${i}`, title: 'é'.repeat(20) }));
    const res = await gw.call<Echo>('POST', '/api/links', { key: allScopesKey, body });
    expect(res.body.bodyBytes).toBe(Buffer.byteLength(JSON.stringify(body)));
  });

  it('upstream errors pass through with the rate-limit headers', async () => {
    const res = await gw.call('GET', '/api/tags?status=400', { key: allScopesKey });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
  });
});

describe('errors the gateway answers itself', () => {
  it('unknown /api path: 404 in the Hoko shape, with rate-limit headers when authenticated', async () => {
    const anonymous = await gw.call('GET', '/api/nothing-here');
    expect(anonymous.status).toBe(404);
    expect(anonymous.body).toEqual({ error: { en: 'Not found', ar: 'غير موجود' } });
    const authenticated = await gw.call('GET', '/api/nothing-here', { key: allScopesKey });
    expect(authenticated.status).toBe(404);
    expect(authenticated.body).toEqual({ error: { en: 'Not found', ar: 'غير موجود' } });
    expect(authenticated.headers.get('x-ratelimit-limit')).toBe('100000');
    const wrongMethod = await gw.call('PATCH', '/api/links', { key: allScopesKey, body: [] });
    expect(wrongMethod.status).toBe(404);
  });

  it('upstream down → 503 in the bilingual shape, with rate-limit headers', async () => {
    const res = await gw.call('GET', '/api/analytics', { key: allScopesKey });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { en: 'Service temporarily unavailable', ar: 'الخدمة غير متاحة مؤقتًا' } });
    expect(res.headers.get('x-ratelimit-limit')).toBe('100000');
  });

  it('upstream not answering in time → 503, not a hang', async () => {
    const res = await gw.call('GET', '/api/links?hang=1', { key: allScopesKey });
    expect(res.status).toBe(503);
    expect(res.body.error.en).toBe('Service temporarily unavailable');
  });

  it('peer paths answer 503 in their own shapes', async () => {
    const shortpen = await gw.call('GET', '/v1/links?hang=1', { key: allScopesKey });
    expect(shortpen.body).toEqual({ success: false, status_code: 503, message: 'Service temporarily unavailable.' });
    const hozip = await gw.call('GET', '/api/v1/external/links?hang=1', { authorization: `Token ${allScopesKey}` });
    expect(hozip.status).toBe(503);
    expect(hozip.body.error_code).toBe('service_unavailable');
  });

  it('a declared body over BODY_LIMIT → 413 before anything is sent upstream', async () => {
    const res = await gw.call('POST', '/api/links', { key: allScopesKey, body: [{ title: 'x'.repeat(70 * 1024) }] });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { en: 'Request body too large', ar: 'حجم نص الطلب كبير جدًا' } });
    expect(res.headers.get('x-ratelimit-limit')).toBe('100000');
  });

  it('a streamed (chunked) body is counted: over BODY_LIMIT → 413', async () => {
    const url = new URL('/api/links', gw.gateway.url);
    const reply = await new Promise<{ status: number; body: string; limit: unknown }>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${allScopesKey}`, 'content-type': 'application/json' } });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body, limit: res.headers['x-ratelimit-limit'] }));
      });
      req.on('error', reject);
      // no Content-Length: node sends it chunked
      req.write(`[${'"x",'.repeat(20 * 1024)}`);
      req.end(`"x"]`);
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error.en).toBe('Request body too large');
    expect(reply.limit).toBe('100000');
  });
});
