import { contextHeaders, signInternalRequest } from '@hop/http';

export interface SignedHeadersOptions {
  secret: string;
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
  const { secret, method, url, ...ctx } = options;
  const headers = contextHeaders(ctx);
  return { ...headers, ...signInternalRequest(secret, method, url, headers) };
}
