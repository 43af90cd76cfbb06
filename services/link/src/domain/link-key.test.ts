import { keyProblem, routeIdOf } from './link-key';

describe('keyProblem', () => {
  it('accepts 1–64 of A-Z a-z 0-9 - _', () => {
    for (const key of ['a', 'Spring-Sale_2026', 'x'.repeat(64)]) expect(keyProblem(key)).toBeNull();
  });

  it('refuses other characters, lengths and reserved words in any case', () => {
    for (const key of ['', 'x'.repeat(65), 'a/b', 'a.b', 'ü', 'a b']) expect(keyProblem(key)).toMatch(/1 to 64/);
    for (const key of ['qrcode', 'QRCode', 'healthz', 'Metrics', 'api']) expect(keyProblem(key)).toMatch(/reserved/);
  });
});

describe('routeIdOf', () => {
  it('is the key on the default domain, domain/key on a branded one', () => {
    expect(routeIdOf(null, 'Ab3dE9z')).toBe('Ab3dE9z');
    expect(routeIdOf('go.example.com', 'sale')).toBe('go.example.com/sale');
  });
});
