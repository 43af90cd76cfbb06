import { TestInfra, eventually } from '@hop/testing';
import { INVALID_API_KEY, startGateway, type GatewayHarness } from './harness';

const infra = new TestInfra();
let gw: GatewayHarness;
let workspaceId: string;
let key: string;
let nextIp = 1;
/** A fresh client address per test, so the brute-force guard of one test never affects another. */
const freshIp = () => `198.51.100.${nextIp++}`;

beforeAll(async () => {
  gw = await startGateway(infra, { AUTH_FAILURES_PER_MINUTE: '5' });
  workspaceId = await gw.createWorkspace({ rateLimit: 100_000 });
  key = (await gw.createKey(workspaceId)).key;
});

afterAll(async () => {
  await gw?.close();
  await infra.cleanup();
});

describe('401: every way a key can be invalid gets the exact Hoko body', () => {
  const variants: [string, () => Promise<string | undefined>][] = [
    ['missing Authorization header', async () => undefined],
    ['empty header', async () => ''],
    ['Bearer without a key', async () => 'Bearer'],
    ['another scheme', async () => `Basic ${key}`],
    ['Token scheme outside the Hozip path', async () => `Token ${key}`],
    ['malformed key', async () => 'Bearer not-a-hop-key'],
    ['truncated key', async () => `Bearer ${key.slice(0, -1)}`],
    ['unknown well-formed key', async () => `Bearer hop_${'A'.repeat(40)}`],
    [
      'revoked key',
      async () => {
        const created = await gw.createKey(workspaceId);
        await gw.admin('POST', `/keys/${created.id}/revoke`);
        return `Bearer ${created.key}`;
      },
    ],
    [
      'expired key',
      async () => {
        const created = await gw.createKey(workspaceId, { allScopes: true, expiresAt: new Date(Date.now() + 60_000).toISOString() });
        await gw.gateway.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [created.id]);
        return `Bearer ${created.key}`;
      },
    ],
  ];

  it.each(variants)('%s', async (_name, authorization) => {
    const header = await authorization();
    const res = await gw.call('GET', '/api/links', { authorization: header, ip: freshIp() });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(INVALID_API_KEY);
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('a key stops working when it expires, even while its lookup is cached', async () => {
    const created = await gw.createKey(workspaceId, { allScopes: true, expiresAt: new Date(Date.now() + 1_500).toISOString() });
    expect((await gw.call('GET', '/api/links', { key: created.key })).status).toBe(200);
    const expired = await eventually(async () => {
      const res = await gw.call('GET', '/api/links', { key: created.key });
      return res.status === 200 ? null : res;
    });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual(INVALID_API_KEY);
  });
});

describe('accepted credentials', () => {
  it.each([
    ['Bearer <key>', () => `Bearer ${key}`],
    ['lower-case bearer', () => `bearer ${key}`],
    ['the bare key', () => key],
  ])('%s', async (_name, header) => {
    const res = await gw.call('GET', '/api/links', { authorization: header() });
    expect(res.status).toBe(200);
    expect(res.body.upstream).toBe('link');
  });

  it('Token <key> on the Hozip path only', async () => {
    const res = await gw.call('GET', '/api/v1/external/links', { authorization: `Token ${key}` });
    expect(res.status).toBe(200);
    expect(res.body.url).toBe('/api/v1/external/links');
  });
});

describe('revocation', () => {
  it('takes effect on the very next request, although the key was cached', async () => {
    const created = await gw.createKey(workspaceId);
    expect((await gw.call('GET', '/api/links', { key: created.key })).status).toBe(200);
    expect((await gw.call('GET', '/api/links', { key: created.key })).status).toBe(200);
    const revoked = await gw.admin('POST', `/keys/${created.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const after = await gw.call('GET', '/api/links', { key: created.key });
    expect(after.status).toBe(401);
    expect(after.body).toEqual(INVALID_API_KEY);
  });

  it('a plan change applies at once too (cached lookups are dropped)', async () => {
    const ws = await gw.createWorkspace({ plan: 'free' });
    const created = await gw.createKey(ws);
    expect((await gw.call('GET', '/api/links', { key: created.key })).headers.get('x-ratelimit-limit')).toBe('60');
    expect((await gw.admin('PATCH', `/workspaces/${ws}`, { plan: 'business' })).status).toBe(200);
    const res = await gw.call('GET', '/api/links', { key: created.key });
    expect(res.headers.get('x-ratelimit-limit')).toBe('1200');
    expect(res.body.headers['x-hop-plan']).toBe('business');
  });
});

describe('brute-force protection', () => {
  it('throttles only failing attempts: 25 invalid keys from one address, then its valid keys still get 200', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<typeof gw.call<{ error: { en: string }; retryAfter: number }>>> | undefined;
    for (let i = 0; i < 25; i++) {
      const guess = i % 2 ? `Bearer hop_${String(i).padStart(40, 'x')}` : 'Bearer not-a-hop-key';
      const res = await gw.call('GET', '/api/links', { authorization: guess, ip });
      statuses.push(res.status);
      throttled = res;
    }
    // AUTH_FAILURES_PER_MINUTE is 5 here: five 401s, then the address's guesses are throttled.
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(20).fill(429)]);
    expect(throttled!.body.error.en).toBe('Rate limit exceeded');
    const retryAfter = throttled!.body.retryAfter;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(throttled!.headers.get('retry-after')).toBe(String(retryAfter));
    expect(throttled!.headers.get('x-ratelimit-limit')).toBe('5');
    expect(throttled!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(throttled!.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);

    // A valid key from the same address: admitted, with its workspace's rate-limit headers.
    const valid = await gw.call('GET', '/api/links', { key, ip });
    expect(valid.status).toBe(200);
    expect(valid.headers.get('x-ratelimit-limit')).toBe('100000');
    // Also one this gateway has never seen (not cached anywhere yet).
    const fresh = await gw.createKey(workspaceId);
    expect((await gw.call('GET', '/api/links', { key: fresh.key, ip })).status).toBe(200);
    // The address's guesses stay throttled.
    expect((await gw.call('GET', '/api/links', { authorization: `Bearer hop_${'y'.repeat(40)}`, ip })).status).toBe(429);
    // Other addresses are not affected.
    expect((await gw.call('GET', '/api/links', { authorization: `Bearer hop_${'y'.repeat(40)}`, ip: freshIp() })).status).toBe(401);
  });

  it('revoked or expired keys do not count as guesses, and requests without a key are not counted', async () => {
    const ip = freshIp();
    const created = await gw.createKey(workspaceId);
    await gw.admin('POST', `/keys/${created.id}/revoke`);
    for (let i = 0; i < 8; i++) {
      expect((await gw.call('GET', '/api/links', { key: created.key, ip })).status).toBe(401);
      expect((await gw.call('GET', '/api/links', { ip })).status).toBe(401);
    }
    expect((await gw.call('GET', '/api/links', { key, ip })).status).toBe(200);
  });
});

describe('peer APIs answer auth errors in their own envelopes', () => {
  it('Shortpen: {success:false,status_code,message}', async () => {
    const res = await gw.call('GET', '/v1/links', { authorization: 'Bearer nope', ip: freshIp() });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ success: false, status_code: 401, message: 'Unauthenticated.' });
  });

  it('Hozip: {detail,error_code}', async () => {
    const res = await gw.call('GET', '/api/v1/external/links', { ip: freshIp() });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ detail: 'Invalid token.', error_code: 'authentication_failed' });
  });
});
