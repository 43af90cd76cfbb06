import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a capture token vouches for: this link, embedded on this host, until `expiresAt`, once (`nonce`). */
export interface CaptureClaims {
  shortId: string;
  /** The verified page hostname (lower case). */
  host: string;
  /** Epoch seconds. */
  expiresAt: number;
  nonce: string;
  /** utm_* / ref / referral of the script URL, signed so the capture cannot change them. */
  attribution: Record<string, string>;
}

export const CAPTURE_TOKEN_TTL_MINUTES = 5;

type Failure = 'malformed' | 'bad-signature' | 'expired';
export type TokenCheck = { ok: true; claims: CaptureClaims } | { ok: false; reason: Failure };

const DOMAIN = 'hop.capture.v1.';
const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(DOMAIN + payload).digest();

export function issueCaptureToken(
  secret: string,
  claims: Omit<CaptureClaims, 'expiresAt' | 'nonce'>,
  now = Date.now(),
): { token: string; claims: CaptureClaims } {
  const full: CaptureClaims = {
    ...claims,
    expiresAt: Math.floor(now / 1000) + CAPTURE_TOKEN_TTL_MINUTES * 60,
    nonce: randomBytes(12).toString('base64url'),
  };
  const payload = Buffer.from(JSON.stringify([full.shortId, full.host, full.expiresAt, full.nonce, full.attribution])).toString('base64url');
  return { token: `${payload}.${sign(secret, payload).toString('base64url')}`, claims: full };
}

export function verifyCaptureToken(secret: string, token: string, now = Date.now()): TokenCheck {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  const expected = sign(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!Array.isArray(decoded) || decoded.length !== 5) return { ok: false, reason: 'malformed' };
  const [shortId, host, expiresAt, nonce, attribution] = decoded as [string, string, number, string, Record<string, string>];
  if (expiresAt * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { shortId, host, expiresAt, nonce, attribution } };
}
