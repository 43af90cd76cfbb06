import { contextHeaders, readContext, signInternalRequest, verifyInternalRequest } from './internal-proof';

describe('internal proof', () => {
  const secret = 'proof-secret-0123456789';
  const ctx = contextHeaders({ workspaceId: 'w', plan: 'pro', features: ['linkExpiration'], scopes: ['a', 'b'], keyId: 'k' });

  it('verifies what it signed and reads the context back', () => {
    const headers = { ...ctx, ...signInternalRequest(secret, 'GET', '/api/links?take=5', ctx) };
    expect(verifyInternalRequest(secret, 'GET', '/api/links?take=5', headers)).toBe(true);
    expect(readContext(headers)).toMatchObject({ workspaceId: 'w', plan: 'pro', features: ['linkExpiration'], scopes: ['a', 'b'] });
  });

  it.each([
    ['another secret', (h: Record<string, string>) => verifyInternalRequest('other-secret-0123456789', 'GET', '/api/links', h)],
    ['another method', (h: Record<string, string>) => verifyInternalRequest(secret, 'DELETE', '/api/links', h)],
    ['another url', (h: Record<string, string>) => verifyInternalRequest(secret, 'GET', '/api/links?take=9', h)],
    ['a changed scope header', (h: Record<string, string>) => verifyInternalRequest(secret, 'GET', '/api/links', { ...h, 'x-hop-scopes': 'a,b,c' })],
    ['an old timestamp', (h: Record<string, string>) => verifyInternalRequest(secret, 'GET', '/api/links', h, Date.now() + 10 * 60_000)],
  ])('rejects %s', (_name, check) => {
    const headers = { ...ctx, ...signInternalRequest(secret, 'GET', '/api/links', ctx) };
    expect(check(headers)).toBe(false);
  });
});
