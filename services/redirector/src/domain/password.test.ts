import { createHmac, randomBytes } from 'node:crypto';
import { verifyPassword } from './password';

// Builds a hash the way the link service documents it (hs256$salt$digest), independently of the verifier.
function hs256(password: string): string {
  const salt = randomBytes(16);
  return `hs256$${salt.toString('base64url')}$${createHmac('sha256', salt).update(password, 'utf8').digest('base64url')}`;
}

describe('verifyPassword', () => {
  const hash = hs256('s3cret-пароль');

  it('accepts the right password (UTF-8)', () => {
    expect(verifyPassword('s3cret-пароль', hash)).toBe(true);
  });

  it('rejects a wrong, empty or prefixed password', () => {
    expect(verifyPassword('s3cret', hash)).toBe(false);
    expect(verifyPassword('', hash)).toBe(false);
    expect(verifyPassword('s3cret-пароль ', hash)).toBe(false);
  });

  it('rejects malformed hashes and unknown schemes', () => {
    const [, salt, digest] = hash.split('$');
    expect(verifyPassword('s3cret-пароль', `bcrypt$${salt}$${digest}`)).toBe(false);
    expect(verifyPassword('s3cret-пароль', `hs256$${salt}`)).toBe(false);
    expect(verifyPassword('s3cret-пароль', `hs256$${salt}$${digest}$x`)).toBe(false);
    expect(verifyPassword('s3cret-пароль', `hs256$${salt}$${digest.slice(0, 10)}`)).toBe(false);
  });
});
