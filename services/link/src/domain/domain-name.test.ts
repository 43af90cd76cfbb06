import { asciiHost, isDefaultHost, normalizeDomainName } from './domain-name';

const own = ['hop.test', 'api.hop.test'];
const nameOf = (input: string) => normalizeDomainName(input, own);

describe('normalizeDomainName', () => {
  it('stores lower-case ASCII: IDN → punycode, trailing dot dropped', () => {
    expect(nameOf('Go.Example.COM')).toEqual({ name: 'go.example.com' });
    expect(nameOf('bücher.example')).toEqual({ name: 'xn--bcher-kva.example' });
    expect(nameOf('مثال.example.')).toEqual({ name: 'xn--mgbh0fb.example' });
    expect(nameOf(' go.example.com ')).toEqual({ name: 'go.example.com' });
  });

  it.each([
    ['https://go.example.com', /scheme/],
    ['go.example.com/path', /path/],
    ['go.example.com?x=1', /path/],
    ['go.example.com:8443', /port/],
    ['user@go.example.com', /user info/],
    ['10.1.2.3', /IP address/],
    ['0x7f.1', /IP address|valid/],
    ['[::1]', /IP address/],
    ['::1', /IP address/],
    ['localhost', /fully qualified/],
    ['-bad.example.com', /valid/],
    ['a..example.com', /valid/],
    ['example.123', /valid/],
    [`${'a'.repeat(64)}.example.com`, /valid/],
    ['hop.test', /own host/],
    ['API.hop.test', /own host/],
  ])('refuses %s', (input, problem) => {
    const checked = nameOf(input);
    expect('problem' in checked && checked.problem).toMatch(problem);
  });
});

describe('asciiHost and isDefaultHost', () => {
  it('keeps a port and maps IDN', () => {
    expect(asciiHost('Bücher.Example:8081')).toBe('xn--bcher-kva.example:8081');
    expect(asciiHost('a b')).toBe('');
  });

  it('knows the default host with or without its port', () => {
    expect(isDefaultHost('localhost:8081', 'http://localhost:8081')).toBe(true);
    expect(isDefaultHost('localhost', 'http://localhost:8081')).toBe(true);
    expect(isDefaultHost('go.example.com', 'http://localhost:8081')).toBe(false);
  });
});
