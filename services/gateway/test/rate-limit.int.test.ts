import { TestInfra } from '@hop/testing';
import { closedPortUrl, startGateway, type GatewayHarness } from './harness';

const infra = new TestInfra();
let gw: GatewayHarness;

beforeAll(async () => {
  gw = await startGateway(infra);
});

afterAll(async () => {
  await gw?.close();
  await infra.cleanup();
});

const get = (key: string, path = '/api/links') => gw.call('GET', path, { key });

async function keyFor(rateLimit?: number, plan = 'free') {
  const workspaceId = await gw.createWorkspace({ plan, ...(rateLimit && { rateLimit }) });
  return { workspaceId, key: (await gw.createKey(workspaceId)).key };
}

describe('per-workspace sliding-window rate limit', () => {
  it('headers on every authenticated response count down; over the limit → 429 with retryAfter and Retry-After', async () => {
    const { key } = await keyFor(3);
    const before = Math.floor(Date.now() / 1000);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await get(key);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(res.headers.get('x-ratelimit-remaining')!);
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThanOrEqual(before + 59);
      expect(reset).toBeLessThanOrEqual(before + 62);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const limited = await get(key);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: { en: 'Rate limit exceeded', ar: 'تم تجاوز حد المعدل' },
      retryAfter: expect.any(Number),
    });
    expect(limited.body.retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.body.retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('retry-after')).toBe(String(limited.body.retryAfter));
    expect(limited.headers.get('x-ratelimit-limit')).toBe('3');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(before);
  });

  it('the plan sets the limit: free 60, pro 600, business 1200, enterprise 3000', async () => {
    for (const [plan, limit] of [['free', '60'], ['pro', '600'], ['business', '1200'], ['enterprise', '3000']]) {
      const { key } = await keyFor(undefined, plan);
      expect((await get(key)).headers.get('x-ratelimit-limit')).toBe(limit);
    }
  });

  it('is exact under concurrency: 300 concurrent requests against a limit of 100 admit exactly 100', async () => {
    const { key } = await keyFor(100);
    const statuses = await Promise.all(Array.from({ length: 300 }, () => get(key).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(200);
  });

  it('is exact for a key the gateway has seen before (checked and counted in one round trip)', async () => {
    const { key } = await keyFor(100);
    expect((await get(key)).status).toBe(200);
    const statuses = await Promise.all(Array.from({ length: 300 }, () => get(key).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(99);
    expect(statuses.filter((s) => s === 429)).toHaveLength(201);
  });

  it('a request counted under a limit that has since changed is counted once, under the new limit', async () => {
    const { workspaceId, key } = await keyFor(5);
    await get(key);
    expect((await get(key)).headers.get('x-ratelimit-remaining')).toBe('3');
    await gw.admin('PATCH', `/workspaces/${workspaceId}`, { rateLimit: 10 });
    const res = await get(key);
    expect(res.headers.get('x-ratelimit-limit')).toBe('10');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('7');
  });

  it('a revoked key’s request is not counted against its workspace', async () => {
    const { workspaceId, key } = await keyFor(3);
    const revoked = await gw.createKey(workspaceId);
    expect((await get(revoked.key)).headers.get('x-ratelimit-remaining')).toBe('2');
    await gw.admin('POST', `/keys/${revoked.id}/revoke`);
    for (let i = 0; i < 3; i++) expect((await get(revoked.key)).status).toBe(401);
    expect((await get(key)).headers.get('x-ratelimit-remaining')).toBe('1');
  });

  it('workspaces are independent: one at its limit does not slow another', async () => {
    const a = await keyFor(2);
    const b = await keyFor(2);
    await get(a.key);
    await get(a.key);
    expect((await get(a.key)).status).toBe(429);
    const res = await get(b.key);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('1');
  });

  it('all keys of a workspace share one pool', async () => {
    const { workspaceId, key: first } = await keyFor(4);
    const second = (await gw.createKey(workspaceId, { scopes: ['linksRead', 'tagsRead'] })).key;
    expect((await get(first)).headers.get('x-ratelimit-remaining')).toBe('3');
    expect((await get(second, '/api/tags')).headers.get('x-ratelimit-remaining')).toBe('2');
    expect((await get(first)).headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await get(second)).headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await get(first)).status).toBe(429);
    expect((await get(second)).status).toBe(429);
  });

  it('refused and failed requests of an authenticated key carry the headers too (403, 404)', async () => {
    const { workspaceId } = await keyFor(10);
    const readOnly = (await gw.createKey(workspaceId, { scopes: ['linksRead'] })).key;
    const forbidden = await gw.call('POST', '/api/links', { key: readOnly, body: [] });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('x-ratelimit-remaining')).toBe('9');
    const missing = await get(readOnly, '/api/unknown');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-ratelimit-remaining')).toBe('8');
  });
});

describe('Redis unavailable', () => {
  it('keeps serving (fail open), counting it in a metric', async () => {
    const { key } = await keyFor(1);
    const degraded = await startGateway(infra, { REDIS_URL: (await closedPortUrl()).replace('http', 'redis') });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await degraded.call('GET', '/api/links', { key });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-ratelimit-limit')).toBe('1');
      }
      expect((await degraded.call('GET', '/api/links', { authorization: 'Bearer nope' })).status).toBe(401);
      const metrics = await (await fetch(`${degraded.gateway.url}/metrics`)).text();
      for (const operation of ['gate', 'rate-limit', 'key-cache', 'auth-guard']) {
        const line = metrics.split('\n').find((l) => l.startsWith(`hop_gateway_redis_fail_open_total{operation="${operation}"}`));
        expect(Number(line?.split(' ').pop())).toBeGreaterThan(0);
      }
    } finally {
      await degraded.close();
    }
  });
});
