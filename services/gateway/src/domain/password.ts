import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * scrypt parameters for new hashes (README "Accounts"): N = 2^15, r = 8, p = 1 uses 32 MiB and
 * about 50–100 ms of one core per hash, above OWASP's minimum (N = 2^17 with r = 8 is its
 * memory-hard first choice; 2^15 keeps sign-in usable on a small self-hosted box). Every hash
 * stores its own parameters, so raising them later leaves existing hashes verifiable.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

const HASH_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // node refuses N·r above its 32 MiB default maxmem by a hair: allow twice what the parameters need
    scrypt(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: 256 * options.N! * options.r! }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (salt and hash base64url). */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, keyLength, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time check of a password against a stored hash (with the hash's own parameters). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = HASH_PATTERN.exec(stored);
  if (!match) return false;
  const [, N, r, p, salt, hash] = match;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(N), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export const PASSWORD_RULES = { minLength: 10, maxLength: 256 } as const;

/** ~49,000 most common passwords (the zxcvbn-ts list, MIT), lower-cased. */
const COMMON_PASSWORDS = new Set(dictionary.passwords.map((p) => p.toLowerCase()));

/** Why a new password is refused (empty when acceptable): length, a common/breached password, the email itself. */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_RULES.minLength) problems.push(`must be at least ${PASSWORD_RULES.minLength} characters long`);
  if (length > PASSWORD_RULES.maxLength) problems.push(`must be at most ${PASSWORD_RULES.maxLength} characters long`);
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) problems.push('is one of the most common passwords');
  const localPart = email.toLowerCase().split('@')[0];
  if (lower === email.toLowerCase() || (localPart.length >= 4 && lower.includes(localPart))) problems.push('must not contain your email address');
  return problems;
}
