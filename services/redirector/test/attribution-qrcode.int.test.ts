import QRCode from 'qrcode';
import { TestInfra } from '@hop/testing';
import { decodePng, pngDimensions, rasteriseSvg } from './fixtures-attribution/qr-decode';
import { startRedirector } from './fixtures-attribution/redirector';

const BASE = 'https://hop.test';
const SHORT_URL = `${BASE}/Ab3dE9x`;
const SCAN_URL = `${SHORT_URL}?qr=1`;
/** A link's qrCode URL, in Hoko's exact format. */
const LINK_QR_QUERY = `text=${encodeURIComponent(SCAN_URL)}&size=512&errorCorrection=H&foreground=000000&background=FFFFFF&margin=1&format=svg`;

const infra = new TestInfra();
let redirector: Awaited<ReturnType<typeof startRedirector>>;

beforeAll(async () => {
  redirector = await startRedirector(infra, { SHORT_BASE_URL: BASE });
});
afterAll(async () => {
  await redirector?.close();
  await infra.cleanup();
});

const get = (query: string, headers: Record<string, string> = {}) => fetch(`${redirector.url}/qrcode?${query}`, { headers });
const qrQuery = (params: Record<string, string>) => new URLSearchParams({ text: SCAN_URL, ...params }).toString();
const png = async (params: Record<string, string>) => {
  const response = await get(qrQuery({ ...params, format: 'png' }));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/png');
  return decodePng(Buffer.from(await response.arrayBuffer()));
};
const svg = async (params: Record<string, string>) => {
  const response = await get(qrQuery({ ...params, format: 'svg' }));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
  return response.text();
};
/** Module count of the symbol the qrcode package builds for a text and level (what a scanner must see). */
const symbolOf = (text: string, level: 'L' | 'M' | 'Q' | 'H') => {
  const symbol = QRCode.create(text, { errorCorrectionLevel: level });
  return { version: symbol.version, modules: symbol.modules.size };
};

describe('GET /qrcode', () => {
  it("serves a link's qrCode URL as an SVG that scans to the short URL with ?qr=1", async () => {
    const response = await get(LINK_QR_QUERY);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const image = await response.text();
    expect(image).toMatch(/^<svg [^>]*width="512" height="512"/);
    const decoded = decodePng(rasteriseSvg(image));
    expect(decoded.qr).toEqual({ data: SCAN_URL, version: symbolOf(SCAN_URL, 'H').version });
  });

  it('serves a PNG of the requested size that scans to the short URL', async () => {
    const decoded = await png({ size: '300' });
    expect([decoded.width, decoded.height]).toEqual([300, 300]);
    expect(decoded.qr?.data).toBe(SCAN_URL);
  });

  it('encodes a short URL without ?qr=1 as well', async () => {
    const decoded = await png({ text: SHORT_URL });
    expect(decoded.qr?.data).toBe(SHORT_URL);
  });

  it.each([64, 2048])('accepts size %i (the bounds) in both formats', async (size) => {
    const response = await get(qrQuery({ size: String(size), format: 'png' }));
    expect(response.status).toBe(200);
    expect(pngDimensions(Buffer.from(await response.arrayBuffer()))).toEqual([size, size]);
    expect(await svg({ size: String(size) })).toContain(`width="${size}" height="${size}"`);
  });

  it.each(['L', 'M', 'Q', 'H'] as const)('uses error correction level %s (the symbol version a scanner reads)', async (level) => {
    const expected = symbolOf(SCAN_URL, level);
    const fromPng = await png({ errorCorrection: level });
    expect(fromPng.qr).toEqual({ data: SCAN_URL, version: expected.version });
    const fromSvg = decodePng(rasteriseSvg(await svg({ errorCorrection: level })));
    expect(fromSvg.qr).toEqual({ data: SCAN_URL, version: expected.version });
  });

  it('paints the requested foreground and background colours, in both formats', async () => {
    const colours = { foreground: '1F3A93', background: 'FFF4D6', margin: '2', size: '400' };
    const decoded = await png(colours);
    const { modules } = symbolOf(SCAN_URL, 'H');
    const modulePx = 400 / (modules + 4);
    expect(decoded.colourAt(1, 1)).toBe('FFF4D6'); // quiet zone
    expect(decoded.colourAt(2.5 * modulePx, 2.5 * modulePx)).toBe('1F3A93'); // top-left finder pattern
    expect(decoded.qr?.data).toBe(SCAN_URL);
    const image = await svg({ ...colours, foreground: '1f3a93' });
    expect(image).toContain('fill="#FFF4D6"');
    expect(image).toContain('stroke="#1F3A93"');
    expect(decodePng(rasteriseSvg(image)).qr?.data).toBe(SCAN_URL);
  });

  it.each([0, 1, 4])('leaves a quiet zone of margin=%i modules', async (margin) => {
    const size = 600;
    const { modules } = symbolOf(SCAN_URL, 'H');
    const modulePx = size / (modules + 2 * margin);
    const decoded = await png({ margin: String(margin), size: String(size) });
    // The first module of the symbol is dark (finder pattern); the one before it is quiet zone.
    expect(decoded.colourAt((margin + 0.5) * modulePx, (margin + 0.5) * modulePx)).toBe('000000');
    if (margin > 0) expect(decoded.colourAt((margin - 0.5) * modulePx, (margin - 0.5) * modulePx)).toBe('FFFFFF');
    expect(await svg({ margin: String(margin) })).toContain(`viewBox="0 0 ${modules + 2 * margin} ${modules + 2 * margin}"`);
  });

  it.each([
    ['text', { text: 'https://evil.example/Ab3dE9x' }, 'text must be a short URL of this deployment (https://hop.test/<shortId>) or of a verified domain'],
    ['text', { text: 'hello world' }, 'text must be a short URL of this deployment (https://hop.test/<shortId>) or of a verified domain'],
    ['text', { text: `${BASE}/Ab3dE9x?next=https://evil.example` }, 'text must be a short URL of this deployment (https://hop.test/<shortId>) or of a verified domain'],
    ['text', { text: '' }, 'text is required'],
    ['size', { size: '63' }, 'size must be an integer from 64 to 2048'],
    ['size', { size: '2049' }, 'size must be an integer from 64 to 2048'],
    ['size', { size: 'big' }, 'size must be an integer from 64 to 2048'],
    ['errorCorrection', { errorCorrection: 'Z' }, 'errorCorrection must be one of L, M, Q, H'],
    ['foreground', { foreground: 'red' }, 'foreground must be a 6-digit hex colour such as 000000'],
    ['foreground', { foreground: '#000000' }, 'foreground must be a 6-digit hex colour such as 000000'],
    ['background', { background: 'FFFFFFFF' }, 'background must be a 6-digit hex colour such as 000000'],
    ['foreground', { foreground: '000000', background: '000000' }, 'foreground and background must differ'],
    ['margin', { margin: '-1' }, 'margin must be an integer from 0 to 16'],
    ['margin', { margin: '17' }, 'margin must be an integer from 0 to 16'],
    ['format', { format: 'gif' }, 'format must be svg or png'],
  ])('refuses a bad %s (%j) with a 400 naming it', async (path, params, message) => {
    const response = await get(qrQuery(params));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      error: { en: 'Invalid request', ar: 'طلب غير صالح' },
      details: [{ path, field: path, message }],
    });
  });

  it('refuses a request without text', async () => {
    const response = await get('size=512');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { details: unknown }).details).toEqual([{ path: 'text', field: 'text', message: 'text is required' }]);
  });

  it('is cacheable for a year with a strong ETag of the normalised query, and answers 304 to If-None-Match', async () => {
    const first = await get(LINK_QR_QUERY);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    // The same image asked for differently (parameter order, letter case, explicit defaults) has the same ETag.
    const equivalent = await get(`format=SVG&errorCorrection=h&foreground=000000&background=ffffff&margin=1&size=512&text=${encodeURIComponent(SCAN_URL)}`);
    expect(equivalent.headers.get('etag')).toBe(etag);
    expect(await equivalent.text()).toBe(await first.text());

    const other = await get(qrQuery({ size: '513' }));
    expect(other.headers.get('etag')).not.toBe(etag);

    const revalidated = await get(LINK_QR_QUERY, { 'if-none-match': `W/"other", ${etag}` });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(revalidated.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await revalidated.text()).toBe('');

    const stale = await get(LINK_QR_QUERY, { 'if-none-match': '"not-it"' });
    expect(stale.status).toBe(200);
  });
});

describe('GET /analytics.js', () => {
  it('is served as JavaScript, cached for an hour, revalidated by ETag', async () => {
    const response = await fetch(`${redirector.url}/analytics.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    const body = await response.text();
    expect(body).toContain('hoko_id');
    const etag = response.headers.get('etag') as string;
    const revalidated = await fetch(`${redirector.url}/analytics.js`, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
  });
});
