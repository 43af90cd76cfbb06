import { contextHeaders, signInternalRequest } from '@hop/http';

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

/**
 * A fetch-based caller for a started service, signing each request like the gateway.
 * `defaults` (e.g. the workspace) apply to every call unless a call overrides them.
 */
export function gatewayClient(baseUrl: string, defaults: Omit<GatewayCallOptions, 'raw' | 'unsigned'> = {}) {
  return async function call<T = any>(method: string, url: string, body?: unknown, options: GatewayCallOptions = {}): Promise<GatewayReply<T>> {
    const { raw, unsigned, ...ctx } = { ...defaults, ...options };
    const headers: Record<string, string> = unsigned ? {} : signedHeaders({ ...ctx, method, url });
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(baseUrl + url, {
      method,
      headers,
      body: body === undefined ? undefined : raw ? String(body) : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
}
