import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Reads a 32-byte AES key written as 64 hex characters or as base64; null if it is neither. */
export function decodeSecretKey(text: string): Buffer | null {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  return key.length === 32 ? key : null;
}

const FORMAT = 'whenc1';
/** Opened values kept in memory: the dispatcher reads a subscription's secrets with every claim. */
const CACHE_SIZE = 10_000;

/**
 * Signing secrets at rest: AES-256-GCM with a random 96-bit IV per value, stored as
 * `whenc1.<key id>.<iv>.<tag>.<ciphertext>` (base64url). The key id (first 8 hex digits of the
 * key's SHA-256) names the key that opens a value, so keys can rotate: the current key seals,
 * previous keys still open, and `isStale` tells which stored values to seal again. A value
 * without the prefix is a secret stored before encryption: it opens as itself until resealed.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentId: string;
  private readonly opened = new Map<string, string>();

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new Error('webhook secret keys must be 32 bytes');
      this.keys.set(keyId(key), key);
    }
    this.currentId = keyId(current);
  }

  seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [FORMAT, this.currentId, ...[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'))].join('.');
  }

  open(stored: string): string {
    if (!stored.startsWith(`${FORMAT}.`)) return stored;
    let secret = this.opened.get(stored);
    if (secret === undefined) {
      const [, id, iv, tag, data] = stored.split('.');
      const key = id === undefined ? undefined : this.keys.get(id);
      if (!key || !iv || !tag || data === undefined) throw new Error(`a webhook secret is sealed with key ${id}, which is not configured`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      secret = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      if (this.opened.size >= CACHE_SIZE) this.opened.clear();
      this.opened.set(stored, secret);
    }
    return secret;
  }

  /** The prefix of values sealed with the current key (anything else is plaintext or an older key's). */
  get currentPrefix(): string {
    return `${FORMAT}.${this.currentId}.`;
  }
}

const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);
