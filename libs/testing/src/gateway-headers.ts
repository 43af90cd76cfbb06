import { contextHeaders, signInternalRequest } from '@hop/http';
import { contractFetch } from './contract';

/** The internal secret `TestInfra.serviceEnv` gives every service. */
export const TEST_INTERNAL_SECRET = 'test-internal-secret-0123456789';

export interface SignedHeadersOptions {
  secret?: string;
  method: string;
  /** Path and query exactly as sent, e.g. `/api/tags?take=5`. */
  url: string;
  workspaceId?: string;
  plan?: string;
  features?: string[];
  bulkLimit?: number;
  linkQuota?: number;
  scopes?: string[];
  keyId?: string;
}

/**
 * The headers the gateway puts on a proxied request (context + proof), for tests that call a
 * service's /api or /internal routes directly.
 */
export function signedHeaders(options: SignedHeadersOptions): Record<string, string> {
  const { secret = TEST_INTERNAL_SECRET, method, url, ...ctx } = options;
  const headers = contextHeaders(ctx);
  return { ...headers, ...signInternalRequest(secret, method, url, headers) };
}

export interface GatewayCallOptions extends Omit<SignedHeadersOptions, 'method' | 'url'> {
  /** Send the body as is (a string), not JSON-encoded. */
  raw?: boolean;
  /** Leave the context and proof headers off. */
  unsigned?: boolean;
}

export interface GatewayReply<T = any> {
  status: number;
  /** Parsed JSON (undefined for an empty body). */
  body: T;
  headers: Headers;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a call carries what the gateway would send (its proof, a workspace UUID): only then is
 * the service's answer one a client could receive, and so checked against the API document.
 * Calls that test a service's own refusals (no proof, a wrong secret, a bad context) are not.
 */
const impersonatesGateway = (unsigned: boolean | undefined, ctx: Omit<GatewayCallOptions, 'raw' | 'unsigned'>) =>
  !unsigned && (ctx.secret ?? TEST_INTERNAL_SECRET) === TEST_INTERNAL_SECRET && UUID.test(ctx.workspaceId ?? '');

/**
 * A fetch-based caller for a started service, signing each request like the gateway; answers to
 * calls the gateway could have made are checked against the API document (`contractFetch`).
 * `defaults` (e.g. the workspace) apply to every call unless a call overrides them.
 */
export function gatewayClient(baseUrl: string, defaults: Omit<GatewayCallOptions, 'raw' | 'unsigned'> = {}) {
  return async function call<T = any>(method: string, url: string, body?: unknown, options: GatewayCallOptions = {}): Promise<GatewayReply<T>> {
    const { raw, unsigned, ...ctx } = { ...defaults, ...options };
    const headers: Record<string, string> = unsigned ? {} : signedHeaders({ ...ctx, method, url });
    if (body !== undefined) headers['content-type'] = 'application/json';
    const send = impersonatesGateway(unsigned, ctx) ? contractFetch('service') : fetch;
    const response = await send(baseUrl + url, {
      method,
      headers,
      body: body === undefined ? undefined : raw ? String(body) : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
}
