import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The password check data a route carries (`passwordHash`), verified by the redirector.
 *
 * Format: `hs256$<salt>$<digest>`
 *   salt   = 16 random bytes per link, base64url without padding
 *   digest = HMAC-SHA256(key = the salt's raw bytes, message = the password's UTF-8 bytes), base64url without padding
 *
 * A fast keyed hash rather than a slow KDF: the redirector verifies on every attempt (a slow hash
 * would hand visitors a CPU lever), and the password is recoverable by design anyway (stored
 * AES-encrypted because the API returns it), so a KDF would cost without protecting more.
 */
export const PASSWORD_HASH_SCHEME = 'hs256';

const encode = (bytes: Buffer) => bytes.toString('base64url');

function digest(salt: Buffer, password: string): Buffer {
  return createHmac('sha256', salt).update(password, 'utf8').digest();
}

export function hashLinkPassword(password: string, salt: Buffer = randomBytes(16)): string {
  return `${PASSWORD_HASH_SCHEME}$${encode(salt)}$${encode(digest(salt, password))}`;
}

/** Constant-time check of a visitor's password against a route's `passwordHash`. */
export function verifyLinkPassword(password: string, passwordHash: string): boolean {
  const [scheme, salt, expected] = passwordHash.split('$');
  if (scheme !== PASSWORD_HASH_SCHEME || !salt || !expected) return false;
  const want = Buffer.from(expected, 'base64url');
  const got = digest(Buffer.from(salt, 'base64url'), password);
  return want.length === got.length && timingSafeEqual(want, got);
}
