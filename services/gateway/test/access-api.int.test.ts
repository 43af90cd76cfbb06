import { TestInfra, eventually } from '@hop/testing';
import { ROUTES } from '../src/domain/routes';
import { cliCreateUser, freshEmail, PASSWORD, sessionClient, signIn, type SignedInClient } from './access-harness';
import { startGateway, type GatewayHarness } from './harness';

const infra = new TestInfra();
let gw: GatewayHarness;
let wsA: string;
let wsB: string;
const users: Record<'owner' | 'admin' | 'member' | 'viewer', { id: string; email: string; client: SignedInClient }> = {} as never;
let ownerB: SignedInClient;

async function member(workspaceId: string, role: string) {
  const email = freshEmail(role);
  const { id } = await cliCreateUser(gw, email, workspaceId, role);
  return { id, email, client: await signIn(gw, email, PASSWORD, { workspace: workspaceId }) };
}

beforeAll(async () => {
  gw = await startGateway(infra);
  wsA = await gw.createWorkspace({ rateLimit: 100_000, name: 'A' });
  wsB = await gw.createWorkspace({ rateLimit: 100_000, name: 'B' });
  for (const role of ['owner', 'admin', 'member', 'viewer'] as const) users[role] = await member(wsA, role);
  ownerB = (await member(wsB, 'owner')).client;
});

afterAll(async () => {
  await gw?.close();
  await infra.cleanup();
});

const auditOf = async (client: SignedInClient) => (await client.call('GET', '/api/audit-log?take=500')).body as any[];

describe('a session as a principal on /api', () => {
  it('acts in the workspace X-Hop-Workspace names, with its role’s scopes; the cookie never reaches the service', async () => {
    const res = await users.member.client.call('GET', '/api/links?take=1');
    expect(res.status).toBe(200);
    expect(res.body.upstream).toBe('link');
    expect(res.body.headers['x-hop-workspace-id']).toBe(wsA);
    expect(res.body.headers['x-hop-scopes']).toContain('linksWrite');
    expect(res.body.headers['x-hop-scopes']).not.toContain('keysWrite');
    expect(res.body.headers.cookie).toBeUndefined();
    expect(res.body.headers['x-hop-key-id']).toBeUndefined();
    expect(res.body.proofValid).toBe(true);
    expect(res.headers.get('x-ratelimit-limit')).toBe('100000');
  });

  it('needs X-Hop-Workspace (400) naming a workspace the user belongs to (403)', async () => {
    const none = await users.owner.client.call('GET', '/api/links', { workspace: null });
    expect(none.status).toBe(400);
    expect(none.body.details[0].path).toBe('X-Hop-Workspace');
    const other = await users.owner.client.call('GET', '/api/links', { workspace: wsB });
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ error: { en: 'You are not a member of this workspace', ar: 'لست عضوًا في مساحة العمل هذه' } });
  });

  it('without a valid session: 401 in Hoko’s shape', async () => {
    const res = await gw.call('GET', '/api/links', { headers: { cookie: `hop_session=${'A'.repeat(43)}`, 'x-hop-workspace': wsA } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { en: 'Not signed in', ar: 'لم يتم تسجيل الدخول' } });
  });

  it('CSRF: a state-changing call needs X-CSRF-Token and no foreign Origin; reads and API keys are unaffected', async () => {
    const client = users.member.client;
    const missing = await client.call('POST', '/api/links', { csrf: null, body: {} });
    expect(missing.status).toBe(403);
    expect(missing.body.error.en).toBe('Missing or invalid CSRF token, or a foreign origin');
    expect((await client.call('POST', '/api/links', { csrf: 'A'.repeat(43), body: {} })).status).toBe(403);
    expect((await client.call('DELETE', '/api/tags', { csrf: null })).status).toBe(403);
    expect((await client.call('POST', '/api/links', { origin: 'https://evil.example', body: {} })).status).toBe(403);
    // another session's token is not this one's
    expect((await client.call('POST', '/api/links', { csrf: users.viewer.client.csrfToken, body: {} })).status).toBe(403);

    expect((await client.call('POST', '/api/links', { body: {} })).status).toBe(200);
    expect((await client.call('POST', '/api/links', { origin: gw.gateway.url, body: {} })).status).toBe(200);
    expect((await client.call('GET', '/api/links', { csrf: null })).status).toBe(200);
    const key = (await gw.createKey(wsA)).key;
    expect((await gw.call('POST', '/api/links', { key, body: {}, headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });

  it('a key wins over a cookie sent along', async () => {
    const key = await gw.createKey(wsB);
    const res = await gw.call('GET', '/api/links', { key: key.key, headers: { cookie: users.owner.client.cookie, 'x-hop-workspace': wsA } });
    expect(res.status).toBe(200);
    expect(res.body.headers['x-hop-workspace-id']).toBe(wsB);
    expect(res.body.headers['x-hop-key-id']).toBe(key.id);
  });

  it('sessions and keys of a workspace share its rate limit', async () => {
    const small = await gw.createWorkspace({ rateLimit: 3 });
    const owner = await member(small, 'owner');
    const key = (await gw.createKey(small)).key;
    expect((await owner.client.call('GET', '/api/links')).headers.get('x-ratelimit-remaining')).toBe('2');
    expect((await gw.call('GET', '/api/links', { key })).headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await owner.client.call('GET', '/api/keys')).status).toBe(200);
    const limited = await owner.client.call('GET', '/api/links');
    expect(limited.status).toBe(429);
    expect(limited.body.retryAfter).toBeGreaterThan(0);
  });
});

describe('role × route matrix', () => {
  /** README "Roles": what each role may call among the access routes (besides leaving, which everyone may). */
  const ALLOWED: Record<string, string[]> = {
    owner: ['GET /api/keys', 'POST /api/keys', 'DELETE /api/keys', 'GET /api/members', 'PUT /api/members', 'DELETE /api/members', 'GET /api/invitations', 'POST /api/invitations', 'DELETE /api/invitations', 'GET /api/audit-log'],
    member: ['GET /api/members', 'GET /api/invitations'],
    viewer: ['GET /api/members', 'GET /api/invitations'],
  };
  ALLOWED.admin = ALLOWED.owner;
  const accessRoutes = ROUTES.filter((r) => r.upstream === 'gateway' && r.path !== '/api/members/me');
  const cases = (['owner', 'admin', 'member', 'viewer'] as const).flatMap((role) => accessRoutes.map((route) => [role, `${route.method} ${route.path}`, route] as const));

  it.each(cases)('%s: %s', async (role, name, route) => {
    // harmless input: an allowed write fails validation (400), it never changes anything
    const res = await users[role].client.call(route.method, route.path, { body: route.method === 'POST' || route.method === 'PUT' ? {} : undefined });
    if (ALLOWED[role].includes(name)) {
      expect(res.status).not.toBe(403);
      expect(res.status).toBeLessThan(500);
    } else {
      expect(res.status).toBe(403);
      expect(res.body.missingScopes).toEqual([route.scope]);
    }
  });

  it.each([
    ['viewer', 'GET', '/api/links', 200],
    ['viewer', 'POST', '/api/links', 403],
    ['viewer', 'DELETE', '/api/partners', 403],
    ['viewer', 'GET', '/api/analytics', 200],
    ['member', 'POST', '/api/links', 200],
    ['member', 'POST', '/api/track/sale', 200],
    ['member', 'PUT', '/api/tags', 200],
    ['admin', 'DELETE', '/api/collections', 200],
  ] as const)('content routes: %s %s %s → %i', async (role, method, path, status) => {
    expect((await users[role].client.call(method, path, { body: method === 'GET' ? undefined : {} })).status).toBe(status);
  });
});

describe('API keys over the API', () => {
  it('an owner creates a key (secret returned once), it works, the list shows it without its secret', async () => {
    const created = await users.owner.client.call('POST', '/api/keys', { body: { name: 'ci', scopes: ['linksRead'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ci', scopes: ['linksRead'], workspaceId: wsA, createdBy: { type: 'user', id: users.owner.id } });
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
    expect((await gw.call('GET', '/api/links', { key: created.body.key })).status).toBe(200);

    const listed = await eventually(async () => {
      const list = await users.admin.client.call('GET', '/api/keys');
      const found = list.body.find((k: { id: string }) => k.id === created.body.id);
      return found?.lastUsedAt ? { list, found } : null;
    });
    expect(listed.found).toEqual({ ...created.body, key: undefined, lastUsedAt: expect.any(String) });
    expect(JSON.stringify(listed.list.body)).not.toContain(created.body.key);
    expect(listed.list.headers.get('x-total-count')).toBe(String(listed.list.body.length));
  });

  it('a viewer cannot create a key', async () => {
    const res = await users.viewer.client.call('POST', '/api/keys', { body: { name: 'nope', scopes: ['linksRead'] } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { en: 'Missing required scopes', ar: 'الصلاحيات المطلوبة مفقودة' }, missingScopes: ['keysWrite'] });
  });

  it('a key cannot be created with scopes its creator lacks', async () => {
    const limited = (await gw.createKey(wsA, { scopes: ['keysWrite', 'linksRead'] })).key;
    const refused = await gw.call('POST', '/api/keys', { key: limited, body: { name: 'escalate', scopes: ['linksRead', 'linksWrite', 'keysRead'] } });
    expect(refused.status).toBe(403);
    expect(refused.body.missingScopes).toEqual(['linksWrite', 'keysRead']);
    const all = await gw.call('POST', '/api/keys', { key: limited, body: { name: 'escalate', allScopes: true } });
    expect(all.status).toBe(403);
    const ok = await gw.call('POST', '/api/keys', { key: limited, body: { name: 'child', scopes: ['linksRead'] } });
    expect(ok.status).toBe(201);
    expect(ok.body.createdBy.type).toBe('key');
  });

  it('revoking takes effect on the next request; another workspace cannot revoke or see it', async () => {
    const created = await users.admin.client.call('POST', '/api/keys', { body: { name: 'short-lived', allScopes: true, expiresAt: '2099-01-01T00:00:00Z' } });
    expect(created.body.expiresAt).toBe('2099-01-01T00:00:00.000Z');
    const key = created.body.key;
    expect((await gw.call('GET', '/api/links', { key })).status).toBe(200);

    const foreign = await ownerB.call('DELETE', `/api/keys?id=${created.body.id}`);
    expect(foreign.status).toBe(404);
    expect((await ownerB.call('GET', '/api/keys')).body.map((k: { id: string }) => k.id)).not.toContain(created.body.id);
    expect((await gw.call('GET', '/api/links', { key })).status).toBe(200);

    const revoked = await users.owner.client.call('DELETE', `/api/keys?id=${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await gw.call('GET', '/api/links', { key })).status).toBe(401);
    expect((await users.owner.client.call('DELETE', '/api/keys?id=not-a-uuid')).status).toBe(400);
  });
});

describe('members and invitations', () => {
  async function invite(by: SignedInClient, role: string, email = freshEmail('invitee')) {
    const res = await by.call('POST', '/api/invitations', { body: { email, role } });
    expect(res.status).toBe(201);
    return { email, res, token: new URL(res.body.url).hash.replace('#token=', '') };
  }

  it('an invitation link is single-use and signs the new member in', async () => {
    const { email, res, token } = await invite(users.admin.client, 'member');
    expect(res.body).toMatchObject({ email, role: 'member', delivery: 'link', url: expect.stringMatching(/\/app\/invitations\/accept#token=[A-Za-z0-9_-]{43}$/) });

    const weak = await gw.call('POST', '/auth/invitations/accept', { body: { token, password: 'password1' } });
    expect(weak.status).toBe(400);
    const accepted = await gw.call('POST', '/auth/invitations/accept', { body: { token, password: PASSWORD } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.workspaces).toEqual([{ id: wsA, name: 'A', role: 'member' }]);
    const client = sessionClient(gw, accepted, wsA);
    expect((await client.call('GET', '/api/members')).body.map((m: { email: string }) => m.email)).toContain(email);

    const again = await gw.call('POST', '/auth/invitations/accept', { body: { token, password: PASSWORD } });
    expect(again.status).toBe(400);
    expect(again.body.error.en).toBe('This invitation link is invalid, already used or expired');
  });

  it('an expired or revoked invitation does not work', async () => {
    const expired = await invite(users.owner.client, 'viewer');
    await gw.gateway.db.query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.res.body.id]);
    expect((await gw.call('POST', '/auth/invitations/accept', { body: { token: expired.token, password: PASSWORD } })).status).toBe(400);

    const revoked = await invite(users.owner.client, 'viewer');
    expect((await users.owner.client.call('GET', '/api/invitations')).body.map((i: { id: string }) => i.id)).toContain(revoked.res.body.id);
    expect((await ownerB.call('DELETE', `/api/invitations?id=${revoked.res.body.id}`)).status).toBe(404);
    expect((await users.owner.client.call('DELETE', `/api/invitations?id=${revoked.res.body.id}`)).status).toBe(200);
    expect((await gw.call('POST', '/auth/invitations/accept', { body: { token: revoked.token, password: PASSWORD } })).status).toBe(400);
  });

  it('an existing account joins with its own password and keeps it', async () => {
    const b = await member(wsB, 'viewer');
    const { token } = await invite(users.owner.client, 'member', b.email);
    expect((await gw.call('POST', '/auth/invitations/accept', { body: { token, password: 'someone-elses-password' } })).status).toBe(401);
    const accepted = await gw.call('POST', '/auth/invitations/accept', { body: { token, password: PASSWORD } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.workspaces.map((w: { role: string }) => w.role).sort()).toEqual(['member', 'viewer']);
  });

  it('only owners grant or touch the owner role; admins manage the rest', async () => {
    const res = await users.admin.client.call('POST', '/api/invitations', { body: { email: freshEmail(), role: 'owner' } });
    expect(res.status).toBe(403);
    expect(res.body.error.en).toBe('Your role does not allow this: only an owner may grant, change or remove the owner role');
    expect((await users.admin.client.call('PUT', '/api/members', { body: { userId: users.owner.id, role: 'viewer' } })).status).toBe(403);
    expect((await users.admin.client.call('DELETE', `/api/members?userId=${users.owner.id}`)).status).toBe(403);
    const extra = await member(wsA, 'viewer');
    const changed = await users.admin.client.call('PUT', '/api/members', { body: { userId: extra.id, role: 'member' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ userId: extra.id, role: 'member' });
  });

  it('the last owner can neither be demoted nor leave; with a second owner they can', async () => {
    const ws = await gw.createWorkspace();
    const first = await member(ws, 'owner');
    const demote = await first.client.call('PUT', '/api/members', { body: { userId: first.id, role: 'admin' } });
    expect(demote.status).toBe(409);
    expect(demote.body.error.en).toBe('A workspace must keep at least one owner');
    expect((await first.client.call('DELETE', '/api/members/me')).status).toBe(409);
    expect((await first.client.call('DELETE', `/api/members?userId=${first.id}`)).status).toBe(409);

    const second = await member(ws, 'owner');
    expect((await first.client.call('DELETE', '/api/members/me')).status).toBe(204);
    expect((await first.client.call('GET', '/api/links')).status).toBe(403);
    expect((await second.client.call('PUT', '/api/members', { body: { userId: second.id, role: 'admin' } })).status).toBe(409);
  });

  it('a removed member loses access at once; another workspace cannot touch members it does not have', async () => {
    const gone = await member(wsA, 'member');
    expect((await ownerB.call('DELETE', `/api/members?userId=${gone.id}`)).status).toBe(404);
    expect((await ownerB.call('PUT', '/api/members', { body: { userId: gone.id, role: 'viewer' } })).status).toBe(404);
    expect((await ownerB.call('GET', '/api/members')).body.map((m: { userId: string }) => m.userId)).not.toContain(gone.id);
    expect((await gone.client.call('GET', '/api/links')).status).toBe(200);
    expect((await users.admin.client.call('DELETE', `/api/members?userId=${gone.id}`)).status).toBe(204);
    expect((await gone.client.call('GET', '/api/links')).status).toBe(403);
  });
});

describe('audit log', () => {
  it('records each audited action: who, what, target, from where; per workspace; append-only', async () => {
    const ip = '198.51.100.77';
    const owner = users.owner.client;
    const created = await owner.call('POST', '/api/keys', { body: { name: 'audited', scopes: ['linksRead'] }, ip });
    await owner.call('DELETE', `/api/keys?id=${created.body.id}`, { ip });
    const invited = await owner.call('POST', '/api/invitations', { body: { email: freshEmail('audited'), role: 'viewer' }, ip });
    const token = new URL(invited.body.url).hash.replace('#token=', '');
    const joined = sessionClient(gw, await gw.call('POST', '/auth/invitations/accept', { body: { token, password: PASSWORD }, ip }), wsA);
    const joinedId = joined.me.user.id;
    await owner.call('PUT', '/api/members', { body: { userId: joinedId, role: 'member' }, ip });
    await owner.call('DELETE', `/api/members?userId=${joinedId}`, { ip });
    const keyActor = (await gw.createKey(wsA, { scopes: ['keysWrite', 'linksRead'] }));
    await gw.call('POST', '/api/keys', { key: keyActor.key, body: { name: 'by a key', scopes: ['linksRead'] }, ip });
    expect((await gw.admin('PATCH', `/workspaces/${wsA}`, { plan: 'business' })).status).toBe(200);

    const log = await auditOf(owner);
    const byUser = { type: 'user', id: users.owner.id, label: users.owner.email };
    const find = (action: string, targetId: string) => log.find((e) => e.action === action && e.target?.id === targetId);
    expect(find('key.created', created.body.id)).toMatchObject({ actor: byUser, ip, details: { name: 'audited', scopes: ['linksRead'] }, occurredAt: expect.any(String) });
    expect(find('key.revoked', created.body.id)).toMatchObject({ actor: byUser, ip });
    expect(find('member.invited', invited.body.id)).toMatchObject({ actor: byUser, ip, details: { role: 'viewer' } });
    expect(find('member.joined', joinedId)).toMatchObject({ actor: { type: 'user', id: joinedId }, ip });
    expect(find('member.role_changed', joinedId)).toMatchObject({ actor: byUser, details: { from: 'viewer', to: 'member' } });
    expect(find('member.removed', joinedId)).toMatchObject({ actor: byUser, ip });
    expect(log.find((e) => e.action === 'key.created' && e.details.name === 'by a key')).toMatchObject({ actor: { type: 'key', id: keyActor.id }, ip });
    // operator actions (CLI, admin API) are audited too
    expect(log.find((e) => e.action === 'key.created' && e.target.id === keyActor.id)).toMatchObject({ actor: { type: 'operator' } });
    expect(log[0]).toMatchObject({ action: 'workspace.updated', actor: { type: 'operator' }, target: { type: 'workspace', id: wsA }, details: { plan: 'business' } });

    // newest first, paged, with the total
    const page = await owner.call('GET', '/api/audit-log?take=2&skip=1');
    expect(page.body).toEqual(log.slice(1, 3));
    expect(page.headers.get('x-total-count')).toBe(String(log.length));
    expect((await owner.call('GET', '/api/audit-log?take=0')).status).toBe(400);

    // another workspace sees none of it
    expect((await auditOf(ownerB)).map((e) => e.target?.id)).not.toContain(created.body.id);
    // append-only, even for the database owner
    await expect(gw.gateway.db.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(gw.gateway.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });

  it('done when: an owner made with the CLI signs in, invites, creates and revokes a key, and sees it all in the log', async () => {
    const ws = await gw.createWorkspace({ name: 'Acme' });
    const email = freshEmail('founder');
    await cliCreateUser(gw, email, ws, 'owner');
    const owner = await signIn(gw, email, PASSWORD, { workspace: ws });
    expect(owner.me.workspaces).toEqual([{ id: ws, name: 'Acme', role: 'owner' }]);
    expect((await owner.call('POST', '/api/invitations', { body: { email: freshEmail('teammate'), role: 'member' } })).status).toBe(201);
    const key = await owner.call('POST', '/api/keys', { body: { name: 'deploy', allScopes: true } });
    expect(key.status).toBe(201);
    expect((await owner.call('DELETE', `/api/keys?id=${key.body.id}`)).status).toBe(200);
    expect((await auditOf(owner)).map((e) => e.action)).toEqual(['key.revoked', 'key.created', 'member.invited', 'member.joined']);
  });
});
