import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verifies a visitor's password against a route's `passwordHash`, in constant time.
 * The link service writes `hs256$<salt>$<digest>` (services/link/src/domain/password-hash.ts):
 * salt = random bytes, digest = HMAC-SHA256(key = salt, message = password UTF-8), both base64url.
 * Re-implemented here on purpose: services share contracts, not code.
 */
export function verifyPassword(password: string, passwordHash: string): boolean {
  const [scheme, salt, expected, extra] = passwordHash.split('$');
  if (scheme !== 'hs256' || !salt || !expected || extra !== undefined) return false;
  const want = Buffer.from(expected, 'base64url');
  const got = createHmac('sha256', Buffer.from(salt, 'base64url')).update(password, 'utf8').digest();
  return want.length === got.length && timingSafeEqual(want, got);
}
