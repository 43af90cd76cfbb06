import { describe, expect, it } from 'vitest';
import { rateLimitOf, usedPercent } from './rate-limit';

const headers = (values: Record<string, string>) => new Headers(values);

describe('the rate-limit usage', () => {
  it('reads the gateway’s X-RateLimit-* headers', () => {
    const rate = rateLimitOf(headers({ 'X-RateLimit-Limit': '600', 'X-RateLimit-Remaining': '450', 'X-RateLimit-Reset': '1798675200' }));
    expect(rate).toEqual({ limit: 600, remaining: 450, resetAt: new Date('2026-12-31T00:00:00Z') });
    expect(usedPercent(rate!)).toBe(25);
  });

  it('is unknown when a header is missing or malformed', () => {
    expect(rateLimitOf(headers({ 'X-RateLimit-Limit': '600', 'X-RateLimit-Remaining': '450' }))).toBeNull();
    expect(rateLimitOf(headers({ 'X-RateLimit-Limit': 'lots', 'X-RateLimit-Remaining': '1', 'X-RateLimit-Reset': '1' }))).toBeNull();
  });
});
