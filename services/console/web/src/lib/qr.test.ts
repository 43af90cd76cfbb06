import { describe, expect, it } from 'vitest';
import { qrFileName, qrImageUrl, QR_DEFAULT_OPTIONS } from './qr';

const qrCode = 'https://hop.test/qrcode?text=https%3A%2F%2Fhop.test%2Fabc%3Fqr%3D1&size=512&errorCorrection=H&foreground=000000&background=FFFFFF&margin=1&format=svg';

describe('the QR preview', () => {
  it('keeps the link’s QR URL and replaces size, colours and format', () => {
    const url = new URL(qrImageUrl(qrCode, { size: 1024, foreground: '#1d4ed8', background: '#fffbe6', format: 'png' }));
    expect(url.origin + url.pathname).toBe('https://hop.test/qrcode');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      text: 'https://hop.test/abc?qr=1',
      size: '1024',
      errorCorrection: 'H',
      foreground: '1D4ED8',
      background: 'FFFBE6',
      margin: '1',
      format: 'png',
    });
  });

  it('names the download after the key and size', () => {
    expect(qrFileName('https://hop.test/abc', QR_DEFAULT_OPTIONS)).toBe('abc-512.svg');
  });
});
