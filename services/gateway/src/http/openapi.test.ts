import { apiFamilyOf, ROUTES } from '../domain/routes';
import { SCOPES } from '../domain/scopes';
import { loadOpenApiDocument } from './docs-routes';

// read as plain JSON: the assertions walk it freely
const doc = loadOpenApiDocument() as Record<string, any>;

function resolve(ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<any>((at, key) => (at === undefined ? undefined : at[key]), doc);
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, found));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refsIn(v, found);
    }
  }
  return found;
}

describe('openapi/openapi.json', () => {
  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('documents %s with the scope the gateway requires', (_name, route) => {
    const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
    expect(operation).toBeDefined();
    expect(operation['x-required-scope']).toBe(route.scope);
    expect(operation.description).toContain(route.scope);
    // the gateway answers these on any route: no key, no scope, body over BODY_LIMIT, rate limit, service failing or down
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403', '413', '429', '500', '503']));
  });

  it('names X-Request-Id on every response (every service and the gateway send it)', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, any>).map(([method, op]) => [`${method} ${path}`, op] as const),
    );
    const missing = operations.flatMap(([name, op]) =>
      Object.entries<any>(op.responses)
        .map(([status, response]) => [status, response.$ref ? resolve(response.$ref) : response] as const)
        .filter(([, response]) => !(response as any)?.headers?.['X-Request-Id'])
        .map(([status]) => `${name} ${status}`),
    );
    expect(missing).toEqual([]);
  });

  it('documents nothing under the public APIs the gateway does not serve', () => {
    const documented = Object.entries(doc.paths)
      .filter(([path]) => apiFamilyOf(path) !== null)
      .flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('documents the sign-in routes (/auth, outside the route table) with the session cookie scheme', () => {
    const auth = Object.keys(doc.paths).filter((path) => path.startsWith('/auth/'));
    expect(auth.sort()).toEqual(['/auth/invitations/accept', '/auth/login', '/auth/logout', '/auth/me', '/auth/password', '/auth/sessions', '/auth/sessions/{sessionId}']);
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'hop_session' });
    expect(doc.paths['/auth/me'].get.security).toEqual([{ sessionCookie: [] }]);
  });

  it('every $ref resolves', () => {
    const unresolved = refsIn(doc).filter((ref) => resolve(ref) === undefined);
    expect(unresolved).toEqual([]);
  });

  it('lists exactly the scopes keys can have', () => {
    expect(doc.components.schemas.Scope.enum).toEqual([...SCOPES]);
  });
});
