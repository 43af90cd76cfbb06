import { randomBytes } from 'node:crypto';
import { SecretBox, decodeSecretKey } from './secret-box';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('SecretBox', () => {
  const key = randomBytes(32);

  it('seals a secret so that it is not readable, and opens it again', () => {
    const box = new SecretBox(key);
    const sealed = box.seal(secret);
    expect(sealed).toMatch(/^whenc1\.[0-9a-f]{8}\./);
    expect(sealed).not.toContain(secret.slice(6));
    expect(new SecretBox(key).open(sealed)).toBe(secret);
    expect(box.seal(secret)).not.toBe(sealed);
  });

  it('opens values sealed with a previous key after a rotation, and tells they are not sealed with the current one', () => {
    const sealed = new SecretBox(key).seal(secret);
    const rotated = new SecretBox(randomBytes(32), [key]);
    expect(rotated.open(sealed)).toBe(secret);
    expect(sealed.startsWith(rotated.currentPrefix)).toBe(false);
    expect(rotated.seal(secret).startsWith(rotated.currentPrefix)).toBe(true);
  });

  it('refuses a value sealed with a key it does not have, or tampered with', () => {
    const sealed = new SecretBox(key).seal(secret);
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow(/not configured/);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('whsec_tampered').toString('base64url');
    expect(() => new SecretBox(key).open(parts.join('.'))).toThrow();
  });

  it('reads a secret stored before encryption as itself', () => {
    expect(new SecretBox(key).open(secret)).toBe(secret);
  });

  it('reads keys as 64 hex characters or base64 of 32 bytes', () => {
    expect(decodeSecretKey(key.toString('hex'))).toEqual(key);
    expect(decodeSecretKey(key.toString('base64'))).toEqual(key);
    expect(decodeSecretKey('too-short')).toBeNull();
  });
});
