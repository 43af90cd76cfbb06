import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: the session cookie's value, CSRF tokens and invitation tokens. */
export const randomToken = () => randomBytes(32).toString('base64url');

/** Tokens are long random values: one fast hash is enough to store them (nothing to brute-force offline). */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Constant-time comparison of a presented token with the expected one. */
export function tokensMatch(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Methods that change state: a cookie-authenticated request needs the CSRF token for them. */
export const changesState = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
