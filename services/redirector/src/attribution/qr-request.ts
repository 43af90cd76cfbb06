import { createHash } from 'node:crypto';
import type { ErrorDetail } from '@hop/errors';

export type ErrorCorrection = 'L' | 'M' | 'Q' | 'H';
export type QrFormat = 'svg' | 'png';

/** A validated, normalised /qrcode request: the rendered image is a pure function of it. */
export interface QrRequest {
  text: string;
  size: number;
  errorCorrection: ErrorCorrection;
  /** RRGGBB, upper case. */
  foreground: string;
  background: string;
  margin: number;
  format: QrFormat;
}

export const QR_LIMITS = { minSize: 64, maxSize: 2048, maxMargin: 16 } as const;

/** The values a link's qrCode URL carries (Hoko's format); they are also the defaults. */
export const QR_DEFAULTS: Omit<QrRequest, 'text'> = {
  size: 512,
  errorCorrection: 'H',
  foreground: '000000',
  background: 'FFFFFF',
  margin: 1,
  format: 'svg',
};

// Short ids are base62 today; '_' and '-' keep room for custom keys without opening arbitrary text.
const SHORT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const HEX_COLOUR = /^[0-9A-Fa-f]{6}$/;
const INTEGER = /^\d{1,6}$/;

/** `domain`: the branded domain of `text` (null: the default domain's short URL); the caller checks it is served. */
export type QrParseResult = { ok: true; request: QrRequest; domain: string | null } | { ok: false; details: ErrorDetail[] };

/**
 * Validates the /qrcode query. `text` must be a short URL of this deployment (`<base>/<shortId>`,
 * or `<domainScheme>://<domain>/<key>` of a branded domain, optionally with `?qr=1`), so the
 * endpoint is no open QR generator. Whether a branded domain is verified is the caller's check.
 */
export function parseQrQuery(query: URLSearchParams, shortBaseUrl: string, domainScheme = 'https'): QrParseResult {
  const details: ErrorDetail[] = [];
  const fail = (path: string, message: string) => void details.push({ path, field: path, message });
  const single = (name: string): string | undefined => {
    const values = query.getAll(name);
    if (values.length > 1) fail(name, `${name} must be given once`);
    return values[0];
  };

  const text = single('text');
  let domain: string | null = null;
  if (text === undefined || text === '') fail('text', 'text is required');
  else if (isOwnShortUrl(text, shortBaseUrl)) domain = null;
  else {
    domain = brandedDomainOf(text, domainScheme);
    if (domain === null) fail('text', notAShortUrl(shortBaseUrl));
  }

  const integer = (name: 'size' | 'margin', min: number, max: number): number => {
    const raw = single(name);
    if (raw === undefined) return QR_DEFAULTS[name];
    const value = INTEGER.test(raw) ? Number(raw) : NaN;
    if (!(value >= min && value <= max)) fail(name, `${name} must be an integer from ${min} to ${max}`);
    return value;
  };
  const size = integer('size', QR_LIMITS.minSize, QR_LIMITS.maxSize);
  const margin = integer('margin', 0, QR_LIMITS.maxMargin);

  const errorCorrection = (single('errorCorrection') ?? QR_DEFAULTS.errorCorrection).toUpperCase();
  if (!['L', 'M', 'Q', 'H'].includes(errorCorrection)) fail('errorCorrection', 'errorCorrection must be one of L, M, Q, H');

  const colour = (name: 'foreground' | 'background'): string => {
    const raw = single(name) ?? QR_DEFAULTS[name];
    if (!HEX_COLOUR.test(raw)) fail(name, `${name} must be a 6-digit hex colour such as 000000`);
    return raw.toUpperCase();
  };
  const foreground = colour('foreground');
  const background = colour('background');
  if (HEX_COLOUR.test(foreground) && foreground === background) fail('foreground', 'foreground and background must differ');

  const format = (single('format') ?? QR_DEFAULTS.format).toLowerCase();
  if (format !== 'svg' && format !== 'png') fail('format', 'format must be svg or png');

  if (details.length) return { ok: false, details };
  return {
    ok: true,
    request: {
      text: text as string,
      size,
      errorCorrection: errorCorrection as ErrorCorrection,
      foreground,
      background,
      margin,
      format: format as QrFormat,
    },
    domain,
  };
}

/** Why a `text` is refused: the same words whether its host is unknown or not verified. */
export const notAShortUrl = (shortBaseUrl: string) => `text must be a short URL of this deployment (${shortBaseUrl}/<shortId>) or of a verified domain`;

/** The host of `<scheme>://<host>/<key>[?qr=1]` (a candidate branded domain), else null. */
function brandedDomainOf(text: string, scheme: string): string | null {
  const match = /^([a-z]+):\/\/([a-z0-9.-]+)\//.exec(text);
  if (!match || match[1] !== scheme || !match[2].includes('.')) return null;
  return isOwnShortUrl(text, `${scheme}://${match[2]}`) ? match[2] : null;
}

function isOwnShortUrl(text: string, shortBaseUrl: string): boolean {
  const prefix = `${shortBaseUrl}/`;
  if (!text.startsWith(prefix)) return false;
  const rest = text.slice(prefix.length);
  const queryAt = rest.indexOf('?');
  const shortId = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const query = queryAt < 0 ? '' : rest.slice(queryAt);
  return SHORT_ID.test(shortId) && (query === '' || query === '?qr=1');
}

/** A strong validator: the hash of the normalised request (the render version is part of it). */
export function qrEtag(request: QrRequest): string {
  const normalised = JSON.stringify(['qr.v1', request.text, request.size, request.errorCorrection, request.foreground, request.background, request.margin, request.format]);
  return `"${createHash('sha256').update(normalised).digest('base64url').slice(0, 32)}"`;
}
