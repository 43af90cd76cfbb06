import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers the gateway sets on every proxied request (DESIGN.md "Trust between services"). */
export const HOP_HEADERS = {
  workspaceId: 'x-hop-workspace-id',
  plan: 'x-hop-plan',
  features: 'x-hop-features',
  bulkLimit: 'x-hop-bulk-limit',
  linkQuota: 'x-hop-link-quota',
  scopes: 'x-hop-scopes',
  keyId: 'x-hop-key-id',
  requestId: 'x-request-id',
  timestamp: 'x-hop-timestamp',
  signature: 'x-hop-signature',
} as const;

/** The context headers the proof covers, in signing order. */
const SIGNED_HEADERS = [
  HOP_HEADERS.workspaceId,
  HOP_HEADERS.plan,
  HOP_HEADERS.features,
  HOP_HEADERS.bulkLimit,
  HOP_HEADERS.linkQuota,
  HOP_HEADERS.scopes,
  HOP_HEADERS.keyId,
] as const;

/** Tolerated clock skew between gateway and service. */
const MAX_SKEW_MS = 5 * 60_000;

type HeaderBag = Record<string, string | string[] | undefined>;

function payload(method: string, url: string, timestamp: string, headers: HeaderBag): string {
  const values = SIGNED_HEADERS.map((h) => {
    const v = headers[h];
    return Array.isArray(v) ? v.join(',') : (v ?? '');
  });
  return [timestamp, method.toUpperCase(), url, ...values].join('\n');
}

function hmac(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

/**
 * Returns the proof headers for a request whose context headers are `headers`: an HMAC over the
 * method, the URL (path and query) and every x-hop-* context header, so none can be altered on the way.
 */
export function signInternalRequest(
  secret: string,
  method: string,
  url: string,
  headers: HeaderBag,
  now = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  return {
    [HOP_HEADERS.timestamp]: timestamp,
    [HOP_HEADERS.signature]: hmac(secret, payload(method, url, timestamp, headers)),
  };
}

export function verifyInternalRequest(
  secret: string,
  method: string,
  url: string,
  headers: HeaderBag,
  now = Date.now(),
): boolean {
  const timestamp = headers[HOP_HEADERS.timestamp];
  const signature = headers[HOP_HEADERS.signature];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  const sentAt = Number(timestamp);
  if (!Number.isFinite(sentAt) || Math.abs(now - sentAt) > MAX_SKEW_MS) return false;
  const expected = Buffer.from(hmac(secret, payload(method, url, timestamp, headers)));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The workspace context a service reads from a verified request. */
export interface RequestContext {
  workspaceId: string;
  plan: string;
  features: string[];
  bulkLimit: number;
  linkQuota: number | null;
  scopes: string[];
  keyId: string;
  requestId: string;
}

const list = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v.join(',') : (v ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export function readContext(headers: HeaderBag): RequestContext {
  const quota = one(headers[HOP_HEADERS.linkQuota]);
  return {
    workspaceId: one(headers[HOP_HEADERS.workspaceId]),
    plan: one(headers[HOP_HEADERS.plan]),
    features: list(headers[HOP_HEADERS.features]),
    bulkLimit: Number(one(headers[HOP_HEADERS.bulkLimit])) || 10_000,
    linkQuota: quota ? Number(quota) : null,
    scopes: list(headers[HOP_HEADERS.scopes]),
    keyId: one(headers[HOP_HEADERS.keyId]),
    requestId: one(headers[HOP_HEADERS.requestId]),
  };
}

/** Builds the context headers (unsigned) for a context; the signer adds the proof. */
export function contextHeaders(ctx: Partial<RequestContext>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (ctx.workspaceId) headers[HOP_HEADERS.workspaceId] = ctx.workspaceId;
  if (ctx.plan) headers[HOP_HEADERS.plan] = ctx.plan;
  if (ctx.features) headers[HOP_HEADERS.features] = ctx.features.join(',');
  if (ctx.bulkLimit) headers[HOP_HEADERS.bulkLimit] = String(ctx.bulkLimit);
  if (ctx.linkQuota != null) headers[HOP_HEADERS.linkQuota] = String(ctx.linkQuota);
  if (ctx.scopes) headers[HOP_HEADERS.scopes] = ctx.scopes.join(',');
  if (ctx.keyId) headers[HOP_HEADERS.keyId] = ctx.keyId;
  if (ctx.requestId) headers[HOP_HEADERS.requestId] = ctx.requestId;
  return headers;
}
