import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyInternalRequest } from '@hop/http';
import { STAND_IN_HEADER, TestInfra, contractFetch } from '@hop/testing';
import { loadGatewayConfig } from '../src/config';
import { start } from '../src/main';
import { UPSTREAMS, type Upstream } from '../src/domain/routes';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
const SECRET = 'test-internal-secret-0123456789';

/** What a stand-in service saw of a proxied request. */
export interface Echo {
  upstream: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  bodyBytes: number;
  proofValid: boolean;
}

export interface EchoServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A stand-in for a service: answers every request with what it received (and whether the
 * gateway's proof verifies). `?status=N` answers with that status; `?hang=1` never answers.
 */
export async function startEchoUpstream(name: string): Promise<EchoServer> {
  const server = http.createServer((req, res) => {
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      if (url.searchParams.get('hang')) return;
      const echo: Echo = {
        upstream: name,
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        bodyBytes,
        proofValid: verifyInternalRequest(SECRET, req.method!, req.url!, req.headers),
      };
      res.writeHead(Number(url.searchParams.get('status') ?? 200), { 'content-type': 'application/json', [STAND_IN_HEADER]: name });
      res.end(JSON.stringify(echo));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (an upstream that is down). */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const UPSTREAM_ENV: Record<Upstream, string> = {
  link: 'LINK_URL',
  catalog: 'CATALOG_URL',
  partner: 'PARTNER_URL',
  analytics: 'ANALYTICS_URL',
  conversion: 'CONVERSION_URL',
  webhook: 'WEBHOOK_URL',
};

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A started gateway in front of one echo upstream per service, plus helpers to administer it
 * (over /admin) and to call it.
 */
export async function startGateway(infra: TestInfra, extraEnv: Record<string, string> = {}, upstreamUrls: Partial<Record<Upstream, string>> = {}) {
  const echoes: EchoServer[] = [];
  const env: Record<string, string> = {};
  for (const upstream of UPSTREAMS) {
    let url = upstreamUrls[upstream];
    if (!url) {
      const echo = await startEchoUpstream(upstream);
      echoes.push(echo);
      url = echo.url;
    }
    env[UPSTREAM_ENV[upstream]] = url;
  }
  const config = loadGatewayConfig(
    // the audit.v1 consumer (Kafka) only where a test asks for it
    infra.serviceEnv('gateway', { ADMIN_TOKEN, TRUST_PROXY: 'true', LAST_USED_FLUSH_MS: '100', AUDIT_EVENTS_CONSUMER: 'false', ...env, ...extraEnv }),
  );
  const gateway = await start(config);
  // every answer the tests get is checked against the API document (stand-ins' answers excepted)
  const checkedFetch = contractFetch('gateway');

  async function call<T = any>(
    method: string,
    path: string,
    options: { key?: string; authorization?: string; headers?: Record<string, string>; body?: unknown; ip?: string; rawBody?: string } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.authorization !== undefined) headers.authorization = options.authorization;
    else if (options.key) headers.authorization = `Bearer ${options.key}`;
    if (options.ip) headers['x-forwarded-for'] = options.ip;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await checkedFetch(gateway.url + path, {
      method,
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  const admin = <T = any>(method: string, path: string, body?: unknown) =>
    call<T>(method, `/admin${path}`, { authorization: `Bearer ${ADMIN_TOKEN}`, body });

  async function createWorkspace(input: { plan?: string; rateLimit?: number; name?: string } = {}): Promise<string> {
    const res = await admin('POST', '/workspaces', { name: 'Test workspace', ...input });
    if (res.status !== 201) throw new Error(`workspace not created: ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  async function createKey(workspaceId: string, input: { scopes?: string[]; allScopes?: boolean; expiresAt?: string } = { allScopes: true }) {
    const res = await admin('POST', `/workspaces/${workspaceId}/keys`, { name: 'test key', ...input });
    if (res.status !== 201) throw new Error(`key not created: ${JSON.stringify(res.body)}`);
    return { id: res.body.id as string, key: res.body.key as string };
  }

  return {
    gateway,
    config,
    call,
    admin,
    createWorkspace,
    createKey,
    async close() {
      await gateway.close();
      await Promise.all(echoes.map((e) => e.close()));
    },
  };
}

export type GatewayHarness = Awaited<ReturnType<typeof startGateway>>;

export const INVALID_API_KEY = { error: { en: 'Invalid API key', ar: 'مفتاح API غير صالح' } };
