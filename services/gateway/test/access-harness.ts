import { runCli } from '../src/cli';
import type { GatewayHarness, Reply } from './harness';

export const PASSWORD = 'violet-tractor-sings-7';

let counter = 0;
/** A fresh email per call, so tests never share an account (or its sign-in throttle). */
export const freshEmail = (name = 'user') => `${name}.${process.pid}.${++counter}@example.com`;

/** `pnpm hop user create …` against the test gateway's database (the real CLI path). */
export async function cliCreateUser(gw: GatewayHarness, email: string, workspaceId: string, role: string, password = PASSWORD) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    ['user', 'create', '--email', email, '--workspace', workspaceId, '--role', role, '--json'],
    { out: (t) => out.push(t), err: (t) => err.push(t), readLine: async () => password },
    () => gw.config,
  );
  if (code !== 0) throw new Error(`user create failed (${code}): ${err.join('\n')}`);
  return JSON.parse(out.join('\n')) as { id: string; email: string };
}

export interface SignedInClient {
  cookie: string;
  csrfToken: string;
  setCookie: string;
  me: any;
  /** Calls the gateway with the session cookie (and by default X-Hop-Workspace and X-CSRF-Token). */
  call<T = any>(
    method: string,
    path: string,
    options?: { workspace?: string | null; csrf?: string | null; origin?: string; body?: unknown; ip?: string; headers?: Record<string, string> },
  ): Promise<Reply<T>>;
}

/** POST /auth/login; throws unless it succeeded. */
export async function signIn(gw: GatewayHarness, email: string, password = PASSWORD, options: { ip?: string; workspace?: string } = {}): Promise<SignedInClient> {
  const res = await gw.call('POST', '/auth/login', { body: { email, password }, ip: options.ip });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return sessionClient(gw, res, options.workspace);
}

/** A client for the session a sign-in-like answer (login, invitation, password change) set. */
export function sessionClient(gw: GatewayHarness, res: Reply, workspace?: string): SignedInClient {
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  const csrfToken = res.body.csrfToken as string;
  return {
    cookie,
    csrfToken,
    setCookie,
    me: res.body,
    call: (method, path, options = {}) => {
      const headers: Record<string, string> = { cookie, ...options.headers };
      const ws = options.workspace === undefined ? workspace : options.workspace;
      if (ws) headers['x-hop-workspace'] = ws;
      const csrf = options.csrf === undefined ? csrfToken : options.csrf;
      if (csrf) headers['x-csrf-token'] = csrf;
      if (options.origin) headers.origin = options.origin;
      return gw.call(method, path, { headers, body: options.body, ip: options.ip });
    },
  };
}
