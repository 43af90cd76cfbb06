import { createHash } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import type { ApiFamily } from './routes';

const KEY_PREFIX = 'hop_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 40; // ≈ 238 bits of randomness
const randomPart = customAlphabet(BASE62, SECRET_LENGTH);
const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${SECRET_LENGTH}}$`);
/** Characters of the key shown in listings so people can tell keys apart. */
const DISPLAY_LENGTH = KEY_PREFIX.length + 8;

/** Keys are long random tokens, so one fast hash suffices (nothing to brute-force offline). */
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export interface NewKey {
  key: string;
  prefix: string;
  hash: string;
}

export function generateKey(): NewKey {
  const key = `${KEY_PREFIX}${randomPart()}`;
  return { key, prefix: key.slice(0, DISPLAY_LENGTH), hash: hashKey(key) };
}

export const isWellFormedKey = (value: string) => KEY_PATTERN.test(value);

export type CredentialProblem = 'missing' | 'malformed';

/**
 * Reads the API key from an Authorization header: `Bearer <key>` or the bare key everywhere,
 * `Token <key>` only on the Hozip-compatible path (that API's own scheme).
 */
export function readCredential(
  header: string | undefined,
  family: ApiFamily,
): { key: string } | { problem: CredentialProblem } {
  const value = header?.trim();
  if (!value) return { problem: 'missing' };
  const match = /^(\S+)\s+(\S+)$/.exec(value);
  let key = value;
  if (match) {
    const scheme = match[1].toLowerCase();
    if (scheme !== 'bearer' && !(scheme === 'token' && family === 'hozip')) return { problem: 'malformed' };
    key = match[2];
  }
  return isWellFormedKey(key) ? { key } : { problem: 'malformed' };
}
