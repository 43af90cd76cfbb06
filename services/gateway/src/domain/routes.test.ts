import { apiFamilyOf, findRoute, ROUTES, UPSTREAMS } from './routes';
import { SCOPES } from './scopes';

describe('apiFamilyOf', () => {
  it.each([
    ['/api/links', 'hoko'],
    ['/api', 'hoko'],
    ['/api/v1/external/links', 'hozip'],
    ['/api/v1/external', 'hozip'],
    ['/api/v1/other', 'hoko'],
    ['/v1/links', 'shortpen'],
    ['/v1', 'shortpen'],
    ['/v10/links', null],
    ['/apis', null],
    ['/admin/workspaces', null],
    ['/docs', null],
    ['/healthz', null],
  ])('%s → %s', (path, family) => {
    expect(apiFamilyOf(path)).toBe(family);
  });
});

describe('findRoute', () => {
  it('matches method and exact path, tolerating one trailing slash', () => {
    expect(findRoute('GET', '/api/links')).toMatchObject({ scope: 'linksRead', upstream: 'link' });
    expect(findRoute('get', '/api/links/')).toMatchObject({ scope: 'linksRead' });
    expect(findRoute('DELETE', '/api/tags')).toMatchObject({ scope: 'tagsWrite', upstream: 'catalog' });
  });

  it('matches a {param} segment with any one non-empty segment', () => {
    expect(findRoute('POST', '/api/domains/6f1c4b7e-9a52-4a4e-9a53-2f0c1d8e3b10/verify')).toMatchObject({ scope: 'domainsWrite', upstream: 'link' });
    expect(findRoute('POST', '/api/domains//verify')).toBeUndefined();
    expect(findRoute('GET', '/api/domains/x/verify')).toBeUndefined();
    expect(findRoute('POST', '/api/domains/x/y/verify')).toBeUndefined();
  });

  it.each([
    ['PATCH', '/api/links'],
    ['HEAD', '/api/links'],
    ['GET', '/api/links//'],
    ['GET', '/API/LINKS'],
    ['GET', '/api/links/123'],
    ['POST', '/api/customers'],
    ['GET', '/api/track/lead'],
    ['POST', '/v1/links'],
  ])('%s %s is no route', (method, path) => {
    expect(findRoute(method, path)).toBeUndefined();
  });

  it('matches a path parameter as one non-empty segment (webhooks)', () => {
    expect(findRoute('GET', '/api/webhooks/6f1c2a3b-0000-4000-8000-000000000001')).toMatchObject({ scope: 'webhooksRead', upstream: 'webhook' });
    expect(findRoute('POST', '/api/webhooks/abc/deliveries/def/retry/')).toMatchObject({ scope: 'webhooksWrite', upstream: 'webhook' });
    expect(findRoute('GET', '/api/webhooks/abc/deliveries')).toMatchObject({ scope: 'webhooksRead' });
    expect(findRoute('GET', '/api/webhooks//deliveries')).toBeUndefined();
    expect(findRoute('GET', '/api/webhooks/a/b')).toBeUndefined();
    expect(findRoute('DELETE', '/api/webhooks/abc')).toBeUndefined();
  });

  it('partners writes need partnersWrite (the API Keys page), not linksWrite', () => {
    for (const method of ['POST', 'PUT', 'DELETE']) expect(findRoute(method, '/api/partners')!.scope).toBe('partnersWrite');
  });

  it('every scope guards at least one route and every service owns one', () => {
    expect(new Set(ROUTES.map((r) => r.scope))).toEqual(new Set(SCOPES));
    expect(new Set(ROUTES.map((r) => r.upstream))).toEqual(new Set([...UPSTREAMS, 'gateway']));
  });

  it('has no duplicate method + path', () => {
    const keys = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
