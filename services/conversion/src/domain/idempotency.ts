import { createHash } from 'node:crypto';

/**
 * The key under which a sale counts once: the Idempotency-Key header, else the invoiceId in its
 * metadata (payment webhooks resend the same invoice). Namespaced so the two never collide.
 */
export function saleIdempotencyKey(header: string | undefined, metadata: Record<string, unknown> | null | undefined): string | null {
  if (header) return `key:${header}`;
  const invoiceId = metadata?.invoiceId;
  if (typeof invoiceId === 'string' && invoiceId) return `invoice:${invoiceId}`;
  if (typeof invoiceId === 'number') return `invoice:${invoiceId}`;
  return null;
}

/** The key as the caller wrote it, for messages. */
export const displayKey = (key: string) => key.slice(key.indexOf(':') + 1);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** A digest of a request that ignores key order, to tell a retry from a different request under the same key. */
export const requestFingerprint = (request: unknown) =>
  createHash('sha256').update(JSON.stringify(canonical(request))).digest('base64url');
