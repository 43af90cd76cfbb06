import { createHmac } from 'node:crypto';
import { hashLinkPassword, verifyLinkPassword } from './password-hash';

describe('link password hash', () => {
  it('has the documented format: hs256$<salt>$<HMAC-SHA256(salt, password)>, base64url', () => {
    const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const hash = hashLinkPassword('launch', salt);
    const expected = createHmac('sha256', salt).update('launch', 'utf8').digest('base64url');
    expect(hash).toBe(`hs256$${salt.toString('base64url')}$${expected}`);
  });

  it('salts per call: the same password hashes differently', () => {
    expect(hashLinkPassword('launch')).not.toBe(hashLinkPassword('launch'));
  });

  it('verifies the right password only', () => {
    const hash = hashLinkPassword('päss wörd');
    expect(verifyLinkPassword('päss wörd', hash)).toBe(true);
    expect(verifyLinkPassword('pass word', hash)).toBe(false);
    expect(verifyLinkPassword('', hash)).toBe(false);
  });

  it.each([['plain'], ['md5$a$b'], ['hs256$$'], ['hs256$c2FsdA$']])('rejects malformed hash %p', (bad) => {
    expect(verifyLinkPassword('x', bad)).toBe(false);
  });
});
