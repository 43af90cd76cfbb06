import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Reads a 32-byte AES key written as 64 hex characters or as base64; null if it is neither. */
export function decodeEncryptionKey(text: string): Buffer | null {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  return key.length === 32 ? key : null;
}

const VERSION = 'v1';

/**
 * Link passwords at rest: AES-256-GCM with a random 96-bit IV per value, stored as
 * `v1.<iv>.<tag>.<ciphertext>` (base64url). Reversible because the API returns the password.
 */
export class PasswordCipher {
  private readonly key: Buffer;

  constructor(keyText: string) {
    const key = decodeEncryptionKey(keyText);
    if (!key) throw new Error('password encryption key must be 32 bytes');
    this.key = key;
  }

  encrypt(password: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('unreadable encrypted password');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
