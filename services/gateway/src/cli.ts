import { parseArgs } from 'node:util';
import { DomainError } from '@hop/errors';
import { toHttpError } from '@hop/http';
import { createApiKey } from './app/create-api-key';
import { createUser } from './app/create-user';
import { createWorkspace } from './app/create-workspace';
import { listApiKeys } from './app/list-api-keys';
import { listWorkspaces } from './app/list-workspaces';
import type { ApiKey, Workspace } from './app/ports';
import { resetPassword } from './app/reset-password';
import { revokeApiKey } from './app/revoke-api-key';
import { updateWorkspace } from './app/update-workspace';
import { verifyDomainWithoutDns } from './app/verify-domain-without-dns';
import { apiKeyView, workspaceView } from './app/views';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { demoInstructions, ensureDemoWorkspace } from './demo';
import { PLAN_NAMES } from './domain/plans';
import { ROLES } from './domain/roles';
import { SCOPES } from './domain/scopes';
import { openAdminResources, type AdminResources } from './admin-resources';

export const USAGE = `Usage: pnpm hop <command> [options]

Workspaces
  workspace create --name <name> [--plan <plan>] [--rate-limit <requests/min>]
  workspace list
  workspace update <workspaceId> [--plan <plan>] [--rate-limit <requests/min> | --rate-limit default]

API keys
  key create <workspaceId> --name <name> (--scopes <scope,scope…> | --all-scopes) [--expires <date-time | 30d | 12h>]
  key list <workspaceId>
  key revoke <keyId>

Domains
  domain verify <workspaceId> <name> --without-dns   mark a domain verified without DNS (air-gapped installs; needs the link service)
Users (the password is read from standard input unless --password is given)
  user create --email <email> --workspace <workspaceId> [--role owner|admin|member|viewer] [--password <password>]
  user reset-password --email <email> [--password <password>]     (ends all of the user's sessions)

Demo
  demo        create (once) and print the demo workspace's all-scopes key

Options
  --json      print JSON instead of text
  --help      this text

Plans:  ${PLAN_NAMES.join(', ')}
Roles:  ${ROLES.join(', ')}
Scopes: ${SCOPES.join(', ')}`;

/** A problem with the command line itself (exit code 2). */
export class UsageError extends Error {}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** The first line of standard input (a password piped in, or typed). */
  readLine?: () => Promise<string>;
}

async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0];
}

const OPTIONS = {
  name: { type: 'string' },
  plan: { type: 'string' },
  'rate-limit': { type: 'string' },
  scopes: { type: 'string' },
  'all-scopes': { type: 'boolean' },
  'without-dns': { type: 'boolean' },
  expires: { type: 'string' },
  email: { type: 'string' },
  workspace: { type: 'string' },
  role: { type: 'string' },
  password: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** `30d`, `12h`, `45m` from now, else the value as given (validated as an ISO date-time by the use case). */
export function expiryFrom(value: string, now = Date.now()): string {
  const relative = /^(\d+)([dhm])$/.exec(value);
  if (!relative) return value;
  const unitMs = { d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2] as 'd' | 'h' | 'm'];
  return new Date(now + Number(relative[1]) * unitMs).toISOString();
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col])).join('  ').trimEnd()).join('\n');
}

const day = (d: Date | null) => (d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : '-');

function keyStatus(k: ApiKey, now = Date.now()): string {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && k.expiresAt.getTime() <= now) return 'expired';
  return 'active';
}

const workspaceTable = (list: Workspace[]) =>
  table([
    ['ID', 'NAME', 'PLAN', 'REQ/MIN', 'CREATED'],
    ...list.map((w) => {
      const view = workspaceView(w);
      return [w.id, w.name, w.plan, `${view.limits.requestsPerMinute}${w.rateLimitOverride ? ' (custom)' : ''}`, day(w.createdAt)];
    }),
  ]);

const keyTable = (list: ApiKey[]) =>
  table([
    ['ID', 'NAME', 'PREFIX', 'STATUS', 'LAST USED', 'EXPIRES', 'SCOPES'],
    ...list.map((k) => [k.id, k.name, `${k.prefix}…`, keyStatus(k), day(k.lastUsedAt), day(k.expiresAt), k.scopes.join(',')]),
  ]);

function positional(positionals: string[], index: number, what: string): string {
  const value = positionals[index];
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

async function run(command: string, positionals: string[], values: Values, admin: () => Promise<AdminResources>, config: GatewayConfig, io: CliIo) {
  const print = (json: unknown, text: string) => io.out(values.json ? JSON.stringify(json, null, 2) : text);
  const deps = async () => (await admin()).deps;
  switch (command) {
    case 'workspace create': {
      const w = await createWorkspace(await deps(), { name: values.name, plan: values.plan, rateLimit: values['rate-limit'] });
      return print(workspaceView(w), `Created workspace ${w.id} "${w.name}" on the ${w.plan} plan.`);
    }
    case 'workspace list': {
      const list = await listWorkspaces(await deps());
      return print(list.map(workspaceView), list.length ? workspaceTable(list) : 'No workspaces yet.');
    }
    case 'workspace update': {
      const id = positional(positionals, 2, 'workspaceId');
      const rate = values['rate-limit'];
      const w = await updateWorkspace(await deps(), id, {
        plan: values.plan,
        rateLimit: rate === 'default' ? null : rate,
      });
      return print(workspaceView(w), `Workspace ${w.id} is now on the ${w.plan} plan (${workspaceView(w).limits.requestsPerMinute} requests/min).`);
    }
    case 'key create': {
      const workspaceId = positional(positionals, 2, 'workspaceId');
      const { apiKey, key } = await createApiKey(await deps(), workspaceId, {
        name: values.name,
        ...(values.scopes !== undefined && { scopes: values.scopes.split(',').map((s) => s.trim()).filter(Boolean) }),
        ...(values['all-scopes'] && { allScopes: true }),
        ...(values.expires !== undefined && { expiresAt: expiryFrom(values.expires) }),
      });
      return print(
        { ...apiKeyView(apiKey), key },
        [
          `Created key ${apiKey.id} "${apiKey.name}" for workspace ${workspaceId}.`,
          `Scopes:  ${apiKey.scopes.join(', ')}`,
          `Expires: ${apiKey.expiresAt ? apiKey.expiresAt.toISOString() : 'never'}`,
          '',
          `  ${key}`,
          '',
          'Copy it now: it is shown only this once.',
        ].join('\n'),
      );
    }
    case 'key list': {
      const list = await listApiKeys(await deps(), positional(positionals, 2, 'workspaceId'));
      return print(list.map(apiKeyView), list.length ? keyTable(list) : 'This workspace has no keys.');
    }
    case 'key revoke': {
      const k = await revokeApiKey(await deps(), positional(positionals, 2, 'keyId'));
      return print(apiKeyView(k), `Revoked key ${k.id} "${k.name}" (${k.prefix}…) at ${k.revokedAt!.toISOString()}.`);
    }
    case 'domain verify': {
      const workspaceId = positional(positionals, 2, 'workspaceId');
      const name = positional(positionals, 3, 'name');
      if (!values['without-dns']) throw new UsageError('domain verify needs --without-dns (clients verify by DNS: POST /api/domains/{id}/verify)');
      const answer = await verifyDomainWithoutDns(await deps(), workspaceId, name);
      const body = answer.body as { name?: string; status?: string; error?: { en?: string }; details?: { path: string; message: string }[] };
      if (answer.status !== 200) {
        const details = body.details?.map((d) => `\n  - ${d.path ? `${d.path}: ` : ''}${d.message}`).join('') ?? '';
        throw new Error(`${body.error?.en ?? `link service answered ${answer.status}`}${details}`);
      }
      return print(body, `Domain ${body.name} of workspace ${workspaceId} is ${body.status} (without DNS).`);
    }
    case 'user create': {
      const password = values.password ?? (await (io.readLine ?? firstLineOfStdin)());
      const { user, role } = await createUser(await deps(), { email: values.email, workspaceId: values.workspace, role: values.role, password });
      return print({ id: user.id, email: user.email, workspaceId: values.workspace, role }, `Created user ${user.id} <${user.email}>, ${role} of workspace ${values.workspace}.`);
    }
    case 'user reset-password': {
      const password = values.password ?? (await (io.readLine ?? firstLineOfStdin)());
      const user = await resetPassword(await deps(), { email: values.email, password });
      return print({ id: user.id, email: user.email }, `New password set for ${user.email}; all of its sessions were ended.`);
    }
    case 'demo': {
      const access = await ensureDemoWorkspace(config);
      return print(access, demoInstructions(access, `http://localhost:${config.server.port}`));
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function describe(err: DomainError): string {
  const { body } = toHttpError(err);
  const details = err.details?.map((d) => `  - ${d.path ? `${d.path}: ` : ''}${d.message}`) ?? [];
  return [`error: ${body.error.en}`, ...details].join('\n');
}

/** Runs one CLI command; returns the exit code (0 ok, 1 failure, 2 bad arguments). */
export async function runCli(
  argv: string[],
  io: CliIo = { out: (t) => console.log(t), err: (t) => console.error(t) },
  loadConfig: () => GatewayConfig = () => loadGatewayConfig(),
): Promise<number> {
  let resources: AdminResources | undefined;
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    if (values.help || positionals.length === 0) {
      io.out(USAGE);
      return positionals.length === 0 && !values.help ? 2 : 0;
    }
    const command = positionals[0] === 'demo' ? 'demo' : positionals.slice(0, 2).join(' ');
    const config = loadConfig();
    await run(command, positionals, values, async () => (resources ??= await openAdminResources(config)), config, io);
    return 0;
  } catch (err) {
    if (err instanceof DomainError) {
      io.err(describe(err));
      return err.code === 'INVALID_REQUEST' ? 2 : 1;
    }
    const isUsage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`error: ${(err as Error).message}`);
    if (isUsage) io.err(`\n${USAGE}`);
    return isUsage ? 2 : 1;
  } finally {
    await resources?.close();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
