/** `${SHORT_BASE_URL}/${shortId}` (the base has no trailing slash). */
export const shortUrlOf = (shortBaseUrl: string, shortId: string) => `${shortBaseUrl}/${shortId}`;

/**
 * The QR code URL in Hoko's exact query format, served by the redirector: the encoded text is the
 * short URL with `qr=1`, so scans are told apart from clicks.
 */
export function qrCodeUrlOf(shortBaseUrl: string, shortId: string): string {
  const text = encodeURIComponent(`${shortUrlOf(shortBaseUrl, shortId)}?qr=1`);
  return `${shortBaseUrl}/qrcode?text=${text}&size=512&errorCorrection=H&foreground=000000&background=FFFFFF&margin=1&format=svg`;
}
