import { customAlphabet } from 'nanoid';

export const SHORT_ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const SHORT_ID_LENGTH = 7;

/** A random base62 short id (62^7 ≈ 3.5·10^12 values); uniqueness is enforced by the database. */
export const newShortId: () => string = customAlphabet(SHORT_ID_ALPHABET, SHORT_ID_LENGTH);

/** A fresh short id not in `taken` (ids already handed out in the same batch). */
export function freshShortId(taken: Set<string>): string {
  let id = newShortId();
  while (taken.has(id)) id = newShortId();
  taken.add(id);
  return id;
}
