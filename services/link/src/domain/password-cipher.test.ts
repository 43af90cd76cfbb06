import { randomBytes } from 'node:crypto';
import { PasswordCipher, decodeEncryptionKey } from './password-cipher';

describe('PasswordCipher', () => {
  const hexKey = randomBytes(32).toString('hex');

  it('round-trips, with a fresh IV each time, and hides the plain text', () => {
    const cipher = new PasswordCipher(hexKey);
    const a = cipher.encrypt('launch');
    const b = cipher.encrypt('launch');
    expect(a).not.toBe(b);
    expect(a).not.toContain('launch');
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(cipher.decrypt(a)).toBe('launch');
  });

  it('accepts base64 keys as well as hex', () => {
    const key = randomBytes(32);
    const sealed = new PasswordCipher(key.toString('base64')).encrypt('x');
    expect(new PasswordCipher(key.toString('hex')).decrypt(sealed)).toBe('x');
  });

  it('fails to open with another key or after tampering', () => {
    const sealed = new PasswordCipher(hexKey).encrypt('secret');
    expect(() => new PasswordCipher(randomBytes(32).toString('hex')).decrypt(sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => new PasswordCipher(hexKey).decrypt(parts.join('.'))).toThrow();
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(decodeEncryptionKey('abcd')).toBeNull();
    expect(decodeEncryptionKey(randomBytes(16).toString('base64'))).toBeNull();
    expect(() => new PasswordCipher('short')).toThrow(/32 bytes/);
  });
});
