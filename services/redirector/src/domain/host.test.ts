import { createHostClassifier } from './host';

describe('createHostClassifier', () => {
  const domainOf = createHostClassifier(['hop.test']);

  it('gives the default domain (null) for the short host, single labels, IP literals and no Host', () => {
    for (const host of [undefined, '', 'hop.test', 'HOP.test:8081', 'localhost:8081', 'redirector', '127.0.0.1:8081', '[::1]:8081']) {
      expect(domainOf(host)).toBeNull();
    }
  });

  it('lower-cases, strips the port and a trailing dot, and maps IDN to ASCII', () => {
    expect(domainOf('Go.Brand.TEST:443')).toBe('go.brand.test');
    expect(domainOf('go.brand.test.')).toBe('go.brand.test');
    expect(domainOf('bücher.example')).toBe('xn--bcher-kva.example');
    expect(domainOf('BÜCHER.example:8081')).toBe('xn--bcher-kva.example');
  });

  it('answers the same for a repeated header (memoised)', () => {
    expect(domainOf('a.b.test')).toBe('a.b.test');
    expect(domainOf('a.b.test')).toBe('a.b.test');
  });

  it("gives '' for a Host that is no hostname", () => {
    expect(domainOf('bad host.test')).toBe('');
  });
});
