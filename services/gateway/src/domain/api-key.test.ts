import { generateKey, hashKey, isWellFormedKey, readCredential } from './api-key';

describe('generateKey', () => {
  it('makes long random hop_ keys with a displayable prefix and a SHA-256 hash', () => {
    const { key, prefix, hash } = generateKey();
    expect(key).toMatch(/^hop_[0-9A-Za-z]{40}$/);
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix).toHaveLength(12);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashKey(key));
    expect(hash).not.toContain(key.slice(4));
  });

  it('never repeats', () => {
    const keys = new Set(Array.from({ length: 1_000 }, () => generateKey().key));
    expect(keys.size).toBe(1_000);
  });
});

describe('readCredential', () => {
  const key = generateKey().key;

  it.each([
    ['Bearer <key>', `Bearer ${key}`, 'hoko'],
    ['bearer in any case', `bEaReR ${key}`, 'hoko'],
    ['the bare key', key, 'hoko'],
    ['surrounding spaces', `  Bearer   ${key}  `, 'hoko'],
    ['Token on the Hozip path', `Token ${key}`, 'hozip'],
    ['Bearer on the Hozip path', `Bearer ${key}`, 'hozip'],
    ['Bearer on the Shortpen path', `Bearer ${key}`, 'shortpen'],
  ] as const)('accepts %s', (_name, header, family) => {
    expect(readCredential(header, family)).toEqual({ key });
  });

  it.each([
    ['no header', undefined, 'missing'],
    ['an empty header', '   ', 'missing'],
    ['Token outside the Hozip path', `Token ${key}`, 'malformed'],
    ['Basic auth', `Basic ${key}`, 'malformed'],
    ['Bearer alone', 'Bearer', 'malformed'],
    ['a short key', 'Bearer hop_abc', 'malformed'],
    ['a key with bad characters', `Bearer ${key.slice(0, -1)}!`, 'malformed'],
    ['three words', `Bearer ${key} extra`, 'malformed'],
  ] as const)('refuses %s', (_name, header, problem) => {
    expect(readCredential(header, 'hoko')).toEqual({ problem });
  });

  it('isWellFormedKey', () => {
    expect(isWellFormedKey(key)).toBe(true);
    expect(isWellFormedKey(`${key}x`)).toBe(false);
    expect(isWellFormedKey(key.replace('hop_', 'pop_'))).toBe(false);
  });
});
