/** What the QR preview lets a user choose; the redirector's /qrcode takes them as query parameters. */
export interface QrOptions {
  size: number;
  /** #RRGGBB, as <input type="color"> gives it. */
  foreground: string;
  background: string;
  format: 'svg' | 'png';
}

export const QR_SIZES = [128, 256, 512, 1024, 2048] as const;
export const QR_DEFAULT_OPTIONS: QrOptions = { size: 512, foreground: '#000000', background: '#ffffff', format: 'svg' };

/**
 * The image URL for a link's QR code with the chosen options: the link's own `qrCode` URL (Hoko's
 * format, on its short domain) with size, colours and format replaced, everything else kept.
 */
export function qrImageUrl(qrCode: string, options: QrOptions): string {
  const url = new URL(qrCode);
  url.searchParams.set('size', String(options.size));
  url.searchParams.set('foreground', options.foreground.replace('#', '').toUpperCase());
  url.searchParams.set('background', options.background.replace('#', '').toUpperCase());
  url.searchParams.set('format', options.format);
  return url.toString();
}

/** The file name a download gets: the short URL's key and the size, e.g. `abc123-512.svg`. */
export function qrFileName(shortUrl: string, options: QrOptions): string {
  const key = shortUrl.split('/').filter(Boolean).pop() ?? 'qr';
  return `${key}-${options.size}.${options.format}`;
}
