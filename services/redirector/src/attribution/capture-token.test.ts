import { CAPTURE_TOKEN_TTL_MINUTES, issueCaptureToken, verifyCaptureToken } from './capture-token';

const SECRET = 'unit-test-capture-secret';
const claims = { shortId: 'abc1234', host: 'shop.example', attribution: { utm_source: 'news', ref: 'anna' } };

describe('capture tokens', () => {
  it('round-trips the claims with an expiry minutes ahead and a fresh nonce', () => {
    const now = Date.UTC(2025, 0, 1);
    const first = issueCaptureToken(SECRET, claims, now);
    const second = issueCaptureToken(SECRET, claims, now);
    expect(verifyCaptureToken(SECRET, first.token, now)).toEqual({ ok: true, claims: first.claims });
    expect(first.claims.expiresAt).toBe(now / 1000 + CAPTURE_TOKEN_TTL_MINUTES * 60);
    expect(first.claims.nonce).not.toBe(second.claims.nonce);
  });

  it('expires', () => {
    const now = Date.UTC(2025, 0, 1);
    const { token } = issueCaptureToken(SECRET, claims, now);
    expect(verifyCaptureToken(SECRET, token, now + CAPTURE_TOKEN_TTL_MINUTES * 60_000 - 1).ok).toBe(true);
    expect(verifyCaptureToken(SECRET, token, now + CAPTURE_TOKEN_TTL_MINUTES * 60_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another secret, a changed payload and garbage', () => {
    const { token } = issueCaptureToken(SECRET, claims);
    expect(verifyCaptureToken('another-secret-of-length', token)).toEqual({ ok: false, reason: 'bad-signature' });
    const [payload, signature] = token.split('.');
    const forged = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('shop.example', 'evil.example')).toString('base64url');
    expect(verifyCaptureToken(SECRET, `${forged}.${signature}`)).toEqual({ ok: false, reason: 'bad-signature' });
    for (const garbage of ['', 'abc', 'a.b.c', `${payload}.`, '.x']) expect(verifyCaptureToken(SECRET, garbage).ok).toBe(false);
  });
});
