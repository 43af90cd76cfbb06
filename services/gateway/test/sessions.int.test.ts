import { TestInfra } from '@hop/testing';
import { cliCreateUser, freshEmail, PASSWORD, sessionClient, signIn } from './access-harness';
import { startGateway, type GatewayHarness } from './harness';

const infra = new TestInfra();
let gw: GatewayHarness;
let workspaceId: string;

beforeAll(async () => {
  gw = await startGateway(infra, { LOGIN_FAILURES_PER_ACCOUNT: '3', LOGIN_FAILURES_PER_ADDRESS: '6' });
  workspaceId = await gw.createWorkspace({ rateLimit: 100_000 });
});

afterAll(async () => {
  await gw?.close();
  await infra.cleanup();
});

let nextIp = 1;
const freshIp = () => `203.0.113.${nextIp++}`;

async function newOwner() {
  const email = freshEmail('owner');
  const user = await cliCreateUser(gw, email, workspaceId, 'owner');
  return { email, user };
}

describe('accounts', () => {
  it('the CLI stores an scrypt hash with the documented parameters, never the password', async () => {
    const { user } = await newOwner();
    const [row] = await gw.gateway.db.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('the CLI refuses a common password and an existing email', async () => {
    await expect(cliCreateUser(gw, freshEmail(), workspaceId, 'owner', 'password123')).rejects.toThrow(/most common/);
    const { email } = await newOwner();
    await expect(cliCreateUser(gw, email, workspaceId, 'owner')).rejects.toThrow(/exists/);
  });
});

describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Lax cookie (no Secure over plain http) and answers user, workspaces and csrfToken', async () => {
    const { email, user } = await newOwner();
    const client = await signIn(gw, email);
    expect(client.setCookie).toMatch(/^hop_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax$/);
    expect(client.me).toEqual({ user: { id: user.id, email }, workspaces: [{ id: workspaceId, name: 'Test workspace', role: 'owner' }], csrfToken: expect.any(String) });
    const me = await client.call('GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual(client.me);
    // only the token's hash is stored
    const [row] = await gw.gateway.db.query('SELECT token_hash FROM sessions WHERE user_id = $1', [user.id]);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(client.cookie).not.toContain(row.token_hash);
  });

  it('marks the cookie Secure behind a trusted https proxy (X-Forwarded-Proto)', async () => {
    const { email } = await newOwner();
    const res = await gw.call('POST', '/auth/login', { body: { email, password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });

  it('wrong password and unknown email get the same 401', async () => {
    const { email } = await newOwner();
    const wrong = await gw.call('POST', '/auth/login', { body: { email, password: 'not-the-password-1' }, ip: freshIp() });
    const unknown = await gw.call('POST', '/auth/login', { body: { email: freshEmail('nobody'), password: PASSWORD }, ip: freshIp() });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toEqual({ en: 'Invalid email or password', ar: 'البريد الإلكتروني أو كلمة المرور غير صحيحة' });
    expect(unknown.body.error).toEqual(wrong.body.error);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('bad input is a 400 naming the field', async () => {
    const res = await gw.call('POST', '/auth/login', { body: { email: 'not-an-email' } });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['email', 'password']);
  });

  it('a sign-in from a foreign Origin is refused', async () => {
    const { email } = await newOwner();
    const res = await gw.call('POST', '/auth/login', { body: { email, password: PASSWORD }, headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.body.error.en).toBe('Missing or invalid CSRF token, or a foreign origin');
  });
});

describe('sessions: logout, expiry, revocation', () => {
  it('logout needs the CSRF token, then ends the session', async () => {
    const { email } = await newOwner();
    const client = await signIn(gw, email);
    expect((await client.call('POST', '/auth/logout', { csrf: null })).status).toBe(403);
    expect((await client.call('POST', '/auth/logout', { csrf: 'x'.repeat(43) })).status).toBe(403);
    const out = await client.call('POST', '/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^hop_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax/);
    const after = await client.call('GET', '/auth/me');
    expect(after.status).toBe(401);
    expect(after.body.error).toEqual({ en: 'Not signed in', ar: 'لم يتم تسجيل الدخول' });
    expect((await client.call('GET', '/api/links', { workspace: workspaceId })).status).toBe(401);
  });

  it('an idle session expires (SESSION_IDLE_TIMEOUT_SECONDS), and so does one past its absolute lifetime', async () => {
    const { email, user } = await newOwner();
    const idle = await signIn(gw, email);
    const old = await signIn(gw, email);
    expect((await idle.call('GET', '/auth/me')).status).toBe(200);
    const sessions = await old.call('GET', '/auth/sessions');
    expect(sessions.body).toHaveLength(2);
    const idleId = sessions.body.find((s: { current: boolean }) => !s.current).id;
    const oldId = sessions.body.find((s: { current: boolean }) => s.current).id;
    await gw.gateway.db.query(`UPDATE sessions SET last_seen_at = now() - interval '13 hours' WHERE id = $1`, [idleId]);
    await gw.gateway.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [oldId]);
    expect((await idle.call('GET', '/auth/me')).status).toBe(401);
    expect((await old.call('GET', '/auth/me')).status).toBe(401);
    expect((await idle.call('GET', '/api/links', { workspace: workspaceId })).status).toBe(401);
    // a fresh sign-in still works
    expect((await (await signIn(gw, email)).call('GET', '/auth/me')).body.user.id).toBe(user.id);
  });

  it('lists one’s sessions and revokes one; another user’s session cannot be revoked', async () => {
    const { email } = await newOwner();
    const a = await signIn(gw, email);
    const b = await signIn(gw, email);
    const list = await a.call('GET', '/auth/sessions');
    expect(list.status).toBe(200);
    expect(list.headers.get('x-total-count')).toBe('2');
    const other = list.body.find((s: { current: boolean }) => !s.current);
    expect(other).toMatchObject({ ip: expect.any(String), createdAt: expect.any(String), expiresAt: expect.any(String) });

    const stranger = await signIn(gw, (await newOwner()).email);
    expect((await stranger.call('DELETE', `/auth/sessions/${other.id}`)).status).toBe(404);
    expect((await b.call('GET', '/auth/me')).status).toBe(200);

    expect((await a.call('DELETE', `/auth/sessions/${other.id}`, { csrf: null })).status).toBe(403);
    expect((await a.call('DELETE', `/auth/sessions/${other.id}`)).status).toBe(204);
    expect((await b.call('GET', '/auth/me')).status).toBe(401);
    expect((await a.call('GET', '/auth/me')).status).toBe(200);
  });

  it('a password change revokes every session and gives the caller a new one', async () => {
    const { email } = await newOwner();
    const a = await signIn(gw, email);
    const b = await signIn(gw, email);
    const weak = await a.call('POST', '/auth/password', { body: { currentPassword: PASSWORD, newPassword: 'qwertyuiop' } });
    expect(weak.status).toBe(400);
    expect(weak.body.details[0]).toMatchObject({ path: 'newPassword' });
    const wrong = await a.call('POST', '/auth/password', { body: { currentPassword: 'not-my-password', newPassword: 'amber-falcon-rides-42' } });
    expect(wrong.status).toBe(401);
    const noCsrf = await a.call('POST', '/auth/password', { csrf: null, body: { currentPassword: PASSWORD, newPassword: 'amber-falcon-rides-42' } });
    expect(noCsrf.status).toBe(403);

    const changed = await a.call('POST', '/auth/password', { body: { currentPassword: PASSWORD, newPassword: 'amber-falcon-rides-42' } });
    expect(changed.status).toBe(200);
    expect((await a.call('GET', '/auth/me')).status).toBe(401);
    expect((await b.call('GET', '/auth/me')).status).toBe(401);
    const fresh = sessionClient(gw, changed);
    expect((await fresh.call('GET', '/auth/me')).status).toBe(200);
    expect((await gw.call('POST', '/auth/login', { body: { email, password: PASSWORD } })).status).toBe(401);
    await signIn(gw, email, 'amber-falcon-rides-42');
  });

  it('an operator reset through the CLI sets the password and ends every session', async () => {
    const { runCli } = await import('../src/cli');
    const { email } = await newOwner();
    const client = await signIn(gw, email);
    const code = await runCli(['user', 'reset-password', '--email', email, '--password', 'copper-lantern-hums-9'], { out: () => undefined, err: () => undefined }, () => gw.config);
    expect(code).toBe(0);
    expect((await client.call('GET', '/auth/me')).status).toBe(401);
    await signIn(gw, email, 'copper-lantern-hums-9');
  });
});

describe('sign-in throttling', () => {
  it('throttles an account from the guessing address only: its owner elsewhere, other users and API keys go on', async () => {
    const victim = await newOwner();
    const bystander = await newOwner();
    const key = (await gw.createKey(workspaceId)).key;
    const attacker = freshIp();
    for (let i = 0; i < 3; i++) {
      expect((await gw.call('POST', '/auth/login', { body: { email: victim.email, password: `guess-number-${i}` }, ip: attacker })).status).toBe(401);
    }
    const throttled = await gw.call('POST', '/auth/login', { body: { email: victim.email, password: PASSWORD }, ip: attacker });
    expect(throttled.status).toBe(429);
    expect(throttled.body.error).toEqual({ en: 'Rate limit exceeded', ar: 'تم تجاوز حد المعدل' });
    expect(throttled.body.retryAfter).toBeGreaterThan(0);
    expect(throttled.headers.get('retry-after')).toBe(String(throttled.body.retryAfter));

    // the account's owner from their own address, another user from the attacker's address, a key from there
    await signIn(gw, victim.email, PASSWORD, { ip: freshIp() });
    await signIn(gw, bystander.email, PASSWORD, { ip: attacker });
    expect((await gw.call('GET', '/api/links', { key, ip: attacker })).status).toBe(200);
  });

  it('throttles an address trying many accounts, without affecting other addresses or API keys', async () => {
    const ip = freshIp();
    for (let i = 0; i < 6; i++) {
      expect((await gw.call('POST', '/auth/login', { body: { email: freshEmail('spray'), password: PASSWORD }, ip })).status).toBe(401);
    }
    const { email } = await newOwner();
    expect((await gw.call('POST', '/auth/login', { body: { email, password: PASSWORD }, ip })).status).toBe(429);
    await signIn(gw, email, PASSWORD, { ip: freshIp() });
    const key = (await gw.createKey(workspaceId)).key;
    expect((await gw.call('GET', '/api/links', { key, ip })).status).toBe(200);
  });
});
