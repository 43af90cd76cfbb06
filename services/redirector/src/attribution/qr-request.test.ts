import { QR_DEFAULTS, parseQrQuery, qrEtag } from './qr-request';

const BASE = 'https://hop.to';
const TEXT = `${BASE}/abc1234?qr=1`;
const parse = (params: Record<string, string>) => parseQrQuery(new URLSearchParams(params), BASE);
const failedPaths = (params: Record<string, string>) => {
  const result = parse(params);
  return result.ok ? [] : result.details.map((d) => d.path);
};

describe('parseQrQuery', () => {
  it('accepts the qrCode URL format of links and normalises it', () => {
    const result = parse({ text: TEXT, size: '256', errorCorrection: 'q', foreground: 'a0b1c2', background: 'FFFFFF', margin: '4', format: 'PNG' });
    expect(result).toEqual({
      ok: true,
      request: { text: TEXT, size: 256, errorCorrection: 'Q', foreground: 'A0B1C2', background: 'FFFFFF', margin: 4, format: 'png' },
      domain: null,
    });
  });

  it("defaults every parameter but text to the links' qrCode values", () => {
    expect(parse({ text: `${BASE}/abc1234` })).toEqual({ ok: true, request: { text: `${BASE}/abc1234`, ...QR_DEFAULTS }, domain: null });
  });

  it.each([
    ['missing text', {}, 'text'],
    ['foreign text', { text: 'javascript:alert(1)' }, 'text'],
    ['another scheme on another host', { text: 'http://evil.example/abc1234' }, 'text'],
    ['a host without a dot', { text: 'https://localhost/abc' }, 'text'],
    ['a path below a key on another host', { text: 'https://evil.example/abc/def' }, 'text'],
    ['base URL without a short id', { text: `${BASE}/` }, 'text'],
    ['a path below the short id', { text: `${BASE}/abc/def` }, 'text'],
    ['another query', { text: `${BASE}/abc1234?x=1` }, 'text'],
    ['size too small', { text: TEXT, size: '63' }, 'size'],
    ['size too large', { text: TEXT, size: '2049' }, 'size'],
    ['size not an integer', { text: TEXT, size: '12.5' }, 'size'],
    ['size empty', { text: TEXT, size: '' }, 'size'],
    ['bad error correction level', { text: TEXT, errorCorrection: 'X' }, 'errorCorrection'],
    ['colour with #', { text: TEXT, foreground: '#000000' }, 'foreground'],
    ['short colour', { text: TEXT, background: 'FFF' }, 'background'],
    ['non-hex colour', { text: TEXT, background: 'GGGGGG' }, 'background'],
    ['same colours', { text: TEXT, foreground: 'ffffff', background: 'FFFFFF' }, 'foreground'],
    ['negative margin', { text: TEXT, margin: '-1' }, 'margin'],
    ['margin too large', { text: TEXT, margin: '17' }, 'margin'],
    ['bad format', { text: TEXT, format: 'gif' }, 'format'],
  ])('refuses %s', (_name, params, path) => {
    expect(failedPaths(params)).toEqual([path]);
  });

  it('names the host of a short URL on another domain, which the caller must find verified', () => {
    for (const [text, domain] of [
      ['https://go.brand.test/sale?qr=1', 'go.brand.test'],
      ['https://hop.to.evil.example/abc', 'hop.to.evil.example'],
    ]) {
      const result = parse({ text });
      expect(result.ok && result.domain).toBe(domain);
    }
  });

  it('refuses a parameter given twice', () => {
    const result = parseQrQuery(new URLSearchParams(`text=${encodeURIComponent(TEXT)}&size=100&size=200`), BASE);
    expect(result.ok ? [] : result.details.map((d) => d.message)).toEqual(['size must be given once']);
  });

  it('names every bad parameter at once', () => {
    expect(failedPaths({ text: 'x', size: '1', margin: 'a', format: 'jpg' })).toEqual(['text', 'size', 'margin', 'format']);
  });
});

describe('qrEtag', () => {
  const request = (params: Record<string, string>) => {
    const result = parse(params);
    if (!result.ok) throw new Error('invalid');
    return result.request;
  };

  it('is a strong validator equal for equivalent queries and different for different images', () => {
    const etag = qrEtag(request({ text: TEXT, foreground: 'abcdef' }));
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(qrEtag(request({ foreground: 'ABCDEF', text: TEXT, size: '512' }))).toBe(etag);
    expect(qrEtag(request({ text: TEXT, foreground: 'abcdee' }))).not.toBe(etag);
    expect(qrEtag(request({ text: TEXT, foreground: 'abcdef', format: 'png' }))).not.toBe(etag);
  });
});
