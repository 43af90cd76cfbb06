import { hashPassword, passwordProblems, SCRYPT_PARAMS, verifyPassword } from './password';

describe('password hashing', () => {
  it('stores scrypt with the documented parameters, a 16-byte salt and a 32-byte key', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const [scheme, N, r, p, salt, key] = stored.split('$');
    expect([scheme, Number(N), Number(r), Number(p)]).toEqual(['scrypt', 2 ** 15, 8, 1]);
    expect(SCRYPT_PARAMS).toMatchObject({ N: 32768, r: 8, p: 1 });
    expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    expect(stored).not.toContain('horse');
  });

  it('verifies the right password only, salting each hash', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).not.toBe(b);
    await expect(verifyPassword('correct horse battery staple', a)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapler', a)).resolves.toBe(false);
    await expect(verifyPassword('anything', 'not-a-hash')).resolves.toBe(false);
  });

  it('verifies with the parameters stored in the hash (older, cheaper hashes keep working)', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const [, , , , salt] = stored.split('$');
    const { scryptSync } = await import('node:crypto');
    const cheap = `scrypt$1024$8$1$${salt}$${scryptSync('s3cret-but-long', Buffer.from(salt, 'base64url'), 32, { N: 1024, r: 8, p: 1 }).toString('base64url')}`;
    await expect(verifyPassword('s3cret-but-long', cheap)).resolves.toBe(true);
  });
});

describe('passwordProblems', () => {
  it('accepts a long uncommon password', () => {
    expect(passwordProblems('violet-tractor-sings-7', 'ana@example.com')).toEqual([]);
  });
  it.each([
    ['too short', 'x7#kq9', 'at least 10'],
    ['a common password', 'password123', 'most common'],
    ['a common password in other case', 'QWERTYUIOP', 'most common'],
    ['the email', 'ana.lopez@example.com', 'email'],
    ['the email’s name inside', 'ana.lopez2026!!', 'email'],
    ['too long', 'a'.repeat(257), 'at most 256'],
  ])('refuses %s', (_name, password, problem) => {
    expect(passwordProblems(password, 'ana.lopez@example.com').join('; ')).toContain(problem);
  });
});
