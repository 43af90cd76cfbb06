import QRCode from 'qrcode';
import { LRUCache } from 'lru-cache';
import type { DomainLookup, Handler } from '../http/handler-types';
import { PngRenderer, RenderQueueFull } from './png-renderer';
import { notAShortUrl, parseQrQuery, qrEtag, type QrRequest } from './qr-request';
import { etagMatches, requestQuery, sendError } from './responses';

const CONTENT_TYPES = { svg: 'image/svg+xml; charset=utf-8', png: 'image/png' } as const;
// The image is a pure function of the query, so caches may keep it for a year without revalidating.
const IMMUTABLE = 'public, max-age=31536000, immutable';

function render(request: QrRequest, png: PngRenderer): Promise<string | Buffer> {
  const options = {
    errorCorrectionLevel: request.errorCorrection,
    margin: request.margin,
    width: request.size,
    color: { dark: `#${request.foreground}`, light: `#${request.background}` },
  };
  // An SVG costs the same at any size (a few vector paths); PNG pixels are encoded off the event loop.
  return request.format === 'svg' ? QRCode.toString(request.text, { ...options, type: 'svg' }) : png.render(request.text, { ...options, type: 'png' });
}

/** GET /qrcode: the QR image of one of this deployment's short URLs, in Hoko's qrCode URL format. */
export function qrcodeHandler(shortBaseUrl: string, domainScheme: 'http' | 'https', domains: DomainLookup): Handler {
  const png = new PngRenderer();
  // Printed QR codes are fetched again and again (the same few sizes per link): keep recent renders.
  const rendered = new LRUCache<string, string | Buffer>({
    maxSize: 32 * 1024 * 1024,
    sizeCalculation: (image) => Math.max(1, image.length),
  });

  return async (req, res) => {
    const parsed = parseQrQuery(requestQuery(req), shortBaseUrl, domainScheme);
    if (!parsed.ok) return sendError(res, 'INVALID_REQUEST', { details: parsed.details });
    if (parsed.domain !== null && !(await domains.get(parsed.domain))) {
      return sendError(res, 'INVALID_REQUEST', { details: [{ path: 'text', field: 'text', message: notAShortUrl(shortBaseUrl) }] });
    }
    const { request } = parsed;
    const etag = qrEtag(request);
    const headers = { etag, 'cache-control': IMMUTABLE, 'x-content-type-options': 'nosniff' };
    if (etagMatches(req.headers['if-none-match'], etag)) return void res.writeHead(304, headers).end();

    let image = rendered.get(etag);
    if (!image) {
      try {
        image = await render(request, png);
      } catch (err) {
        if (!(err instanceof RenderQueueFull)) throw err;
        return sendError(res, 'UPSTREAM_UNAVAILABLE', { headers: { 'retry-after': '1' } });
      }
      rendered.set(etag, image);
    }
    res
      .writeHead(200, { ...headers, 'content-type': CONTENT_TYPES[request.format], 'content-length': Buffer.byteLength(image) })
      .end(image);
  };
}
