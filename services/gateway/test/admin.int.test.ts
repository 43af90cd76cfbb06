import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TestInfra, eventually } from '@hop/testing';
import { runCli } from '../src/cli';
import { loadGatewayConfig } from '../src/config';
import { ensureDemoWorkspace } from '../src/demo';
import { SCOPES } from '../src/domain/scopes';
import { INVALID_API_KEY, startGateway, type GatewayHarness } from './harness';

const infra = new TestInfra();
let gw: GatewayHarness;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'hop-gateway-'));
  gw = await startGateway(infra, { HOP_DATA_DIR: dataDir });
});

afterAll(async () => {
  await gw?.close();
  await rm(dataDir, { recursive: true, force: true });
  await infra.cleanup();
});

describe('/admin authentication', () => {
  it.each([
    ['no token', undefined],
    ['a wrong token', 'Bearer not-the-admin-token-at-all'],
    ['an API key instead', 'Bearer hop_0123456789012345678901234567890123456789'],
  ])('refuses %s with 401', async (_name, authorization) => {
    for (const [method, url] of [['GET', '/admin/workspaces'], ['POST', '/admin/workspaces'], ['POST', '/admin/keys/x/revoke']]) {
      const res = await gw.call(method, url, { authorization, body: method === 'POST' ? { name: 'x' } : undefined });
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({ en: 'Invalid admin token', ar: 'رمز المسؤول غير صالح' });
    }
  });
});

describe('/admin workspaces and keys', () => {
  it('creates, lists and updates workspaces; validates input', async () => {
    const created = await gw.admin('POST', '/workspaces', { name: 'Acme', plan: 'pro' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Acme',
      plan: 'pro',
      rateLimitOverride: null,
      limits: { requestsPerMinute: 600, bulkLimit: 1000, linkQuota: 100_000, features: ['linkExpiration', 'passwordProtection'] },
    });
    expect((await gw.admin('POST', '/workspaces', { name: 'Free by default' })).body.plan).toBe('free');

    const bad = await gw.admin('POST', '/workspaces', { plan: 'gold', rateLimit: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['name', 'plan', 'rateLimit']);

    const list = await gw.admin('GET', '/workspaces');
    expect(list.body.map((w: { id: string }) => w.id)).toContain(created.body.id);

    const updated = await gw.admin('PATCH', `/workspaces/${created.body.id}`, { plan: 'business', rateLimit: 50 });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ plan: 'business', rateLimitOverride: 50, limits: { requestsPerMinute: 50 } });
    expect((await gw.admin('PATCH', `/workspaces/${created.body.id}`, { rateLimit: null })).body.limits.requestsPerMinute).toBe(1200);
    expect((await gw.admin('PATCH', `/workspaces/${created.body.id}`, {})).status).toBe(400);
    expect((await gw.admin('PATCH', '/workspaces/00000000-0000-4000-8000-000000000000', { plan: 'pro' })).status).toBe(404);
    expect((await gw.admin('PATCH', '/workspaces/not-a-uuid', { plan: 'pro' })).status).toBe(400);
  });

  it('creates keys (secret shown once, only its hash stored), lists them without secrets, revokes them', async () => {
    const workspaceId = await gw.createWorkspace();
    const created = await gw.admin('POST', `/workspaces/${workspaceId}/keys`, { name: 'ci', scopes: ['linksRead', 'tagsRead'] });
    expect(created.status).toBe(201);
    const { key, id, prefix } = created.body;
    expect(key).toMatch(/^hop_[0-9A-Za-z]{40}$/);
    expect(key.startsWith(prefix)).toBe(true);
    expect(created.body.scopes).toEqual(['linksRead', 'tagsRead']);

    const [row] = await gw.gateway.db.query('SELECT * FROM api_keys WHERE id = $1', [id]);
    expect(Object.values(row).map(String)).not.toContain(key);
    expect(JSON.stringify(row)).not.toContain(key.slice(prefix.length));

    const listed = await gw.admin('GET', `/workspaces/${workspaceId}/keys`);
    expect(listed.body).toEqual([expect.objectContaining({ id, prefix, name: 'ci', lastUsedAt: null, revokedAt: null })]);
    expect(JSON.stringify(listed.body)).not.toContain(key);

    const all = await gw.admin('POST', `/workspaces/${workspaceId}/keys`, { name: 'all', allScopes: true });
    expect(all.body.scopes).toEqual([...SCOPES]);

    const revoked = await gw.admin('POST', `/keys/${id}/revoke`);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await gw.admin('POST', `/keys/${id}/revoke`)).body.revokedAt).toBe(revoked.body.revokedAt);
  });

  it.each([
    ['no scopes', { name: 'k' }],
    ['both scopes and allScopes', { name: 'k', scopes: ['linksRead'], allScopes: true }],
    ['an unknown scope', { name: 'k', scopes: ['linksRead', 'adminEverything'] }],
    ['an empty scope list', { name: 'k', scopes: [] }],
    ['a past expiry', { name: 'k', allScopes: true, expiresAt: '2020-01-01T00:00:00Z' }],
    ['no name', { allScopes: true }],
  ])('refuses a key with %s (400 with details)', async (_name, body) => {
    const workspaceId = await gw.createWorkspace();
    const res = await gw.admin('POST', `/workspaces/${workspaceId}/keys`, body);
    expect(res.status).toBe(400);
    expect(res.body.details.length).toBeGreaterThan(0);
  });

  it('keys for an unknown workspace → 404', async () => {
    const res = await gw.admin('POST', '/workspaces/00000000-0000-4000-8000-000000000000/keys', { name: 'k', allScopes: true });
    expect(res.status).toBe(404);
  });

  it('records lastUsedAt off the request path (batched)', async () => {
    const workspaceId = await gw.createWorkspace();
    const { id, key } = await gw.createKey(workspaceId);
    const before = Date.now();
    expect((await gw.call('GET', '/api/links', { key })).status).toBe(200);
    const used = await eventually(async () => {
      const [k] = (await gw.admin('GET', `/workspaces/${workspaceId}/keys`)).body.filter((k: { id: string }) => k.id === id);
      return k.lastUsedAt;
    });
    expect(Date.parse(used)).toBeGreaterThanOrEqual(before - 1_000);
  });
});

describe('pnpm hop (CLI)', () => {
  const config = () => loadGatewayConfig(infra.serviceEnv('gateway', { HOP_DATA_DIR: dataDir }));
  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, config);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('creates a workspace and a key, lists them, changes the plan, revokes the key (which the gateway refuses at once)', async () => {
    const ws = await cli('workspace', 'create', '--name', 'From CLI', '--plan', 'pro', '--json');
    expect(ws.code).toBe(0);
    const workspaceId = JSON.parse(ws.out).id;
    expect((await cli('workspace', 'list')).out).toContain(workspaceId);

    const created = await cli('key', 'create', workspaceId, '--name', 'deploy', '--scopes', 'linksRead,linksWrite', '--expires', '30d');
    expect(created.code).toBe(0);
    const key = /hop_[0-9A-Za-z]{40}/.exec(created.out)![0];
    expect(created.out).toContain('shown only this once');
    const keyId = /Created key ([0-9a-f-]{36})/.exec(created.out)![1];

    const listed = await cli('key', 'list', workspaceId);
    expect(listed.out).toContain(keyId);
    expect(listed.out).toContain(key.slice(0, 12));
    expect(listed.out).not.toContain(key);
    expect(listed.out).toContain('active');

    expect((await gw.call('GET', '/api/links', { key })).headers.get('x-ratelimit-limit')).toBe('600');
    const updated = await cli('workspace', 'update', workspaceId, '--plan', 'enterprise');
    expect(updated.code).toBe(0);
    expect((await gw.call('GET', '/api/links', { key })).headers.get('x-ratelimit-limit')).toBe('3000');
    expect((await cli('workspace', 'update', workspaceId, '--rate-limit', '77')).code).toBe(0);
    expect((await gw.call('GET', '/api/links', { key })).headers.get('x-ratelimit-limit')).toBe('77');

    expect((await cli('key', 'revoke', keyId)).code).toBe(0);
    const refused = await gw.call('GET', '/api/links', { key });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(INVALID_API_KEY);
    expect((await cli('key', 'list', workspaceId)).out).toContain('revoked');
  });

  it.each([
    [['workspace', 'create', '--plan', 'pro'], 'name'],
    [['workspace', 'create', '--name', 'x', '--plan', 'gold'], 'plan'],
    [['workspace', 'create', '--name', 'x', '--rate-limit', 'lots'], 'rateLimit'],
    [['key', 'create', '00000000-0000-4000-8000-000000000000', '--name', 'x'], 'scopes'],
    [['key', 'create', '00000000-0000-4000-8000-000000000000', '--name', 'x', '--scopes', 'linksRead,nope'], 'scopes'],
    [['key', 'revoke', 'abc'], 'keyId'],
    [['key', 'list'], 'missing workspaceId'],
    [['frobnicate'], 'unknown command'],
    [['workspace', 'create', '--colour', 'red'], "Unknown option '--colour'"],
  ])('bad arguments %j exit 2 naming the problem (%s)', async (argv, mention) => {
    const res = await cli(...argv);
    expect(res.code).toBe(2);
    expect(res.err).toContain(mention);
  });

  it('an unknown workspace exits 1', async () => {
    const res = await cli('key', 'list', '00000000-0000-4000-8000-000000000000');
    expect(res.code).toBe(1);
    expect(res.err).toContain('no workspace with id');
  });
});

describe('demo bootstrap', () => {
  it('creates the demo workspace and an all-scopes key once, then returns the same key; the key works', async () => {
    const config = loadGatewayConfig(infra.serviceEnv('gateway', { HOP_DATA_DIR: dataDir }));
    const first = await ensureDemoWorkspace(config);
    expect(first.created).toBe(true);
    const second = await ensureDemoWorkspace(config);
    expect(second).toEqual({ ...first, created: false });

    const res = await gw.call('GET', '/api/links', { key: first.key });
    expect(res.status).toBe(200);
    expect(res.body.headers['x-hop-workspace-id']).toBe(first.workspaceId);
    expect(res.body.headers['x-hop-scopes']).toBe(SCOPES.join(','));

    // once that key is revoked, the next start makes a new one in the same workspace
    await gw.admin('POST', `/keys/${first.keyId}/revoke`);
    const third = await ensureDemoWorkspace(config);
    expect(third.created).toBe(true);
    expect(third.key).not.toBe(first.key);
    expect(third.workspaceId).toBe(first.workspaceId);
    expect((await gw.admin('GET', '/workspaces')).body.filter((w: { id: string }) => w.id === first.workspaceId)).toHaveLength(1);
  });
});

describe('API docs', () => {
  it('serves the OpenAPI document and the /docs page with its own assets (no CDN)', async () => {
    const spec = await fetch(`${gw.gateway.url}/openapi.json`);
    expect(spec.headers.get('content-type')).toContain('application/json');
    expect(((await spec.json()) as { openapi: string }).openapi).toBe('3.1.0');

    const page = await fetch(`${gw.gateway.url}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset.startsWith('/')).toBe(true);
      expect((await fetch(gw.gateway.url + asset)).status).toBe(200);
    }
    expect((await fetch(`${gw.gateway.url}/docs`, { redirect: 'manual' })).status).toBe(301);
  });
});
