import { limitsOf, PLANS } from './plans';
import { authorizeKey, type KeyRecord } from './principal';

const record = (overrides: Partial<KeyRecord> = {}): KeyRecord => ({
  keyId: 'k1',
  workspaceId: 'w1',
  scopes: ['linksRead'],
  expiresAt: null,
  revokedAt: null,
  plan: 'pro',
  rateLimitOverride: null,
  ...overrides,
});
const now = new Date('2026-01-01T00:00:00Z');

describe('authorizeKey', () => {
  it('an active key becomes a principal with its plan limits', () => {
    expect(authorizeKey(record(), now)).toEqual({
      principal: { keyId: 'k1', workspaceId: 'w1', scopes: ['linksRead'], plan: 'pro', limits: PLANS.pro },
    });
  });

  it.each([
    ['unknown', null],
    ['revoked', record({ revokedAt: '2025-12-31T00:00:00Z' })],
    ['expired', record({ expiresAt: '2025-12-31T23:59:59Z' })],
    ['expired', record({ expiresAt: now.toISOString() })],
  ] as const)('%s keys are refused', (problem, rec) => {
    expect(authorizeKey(rec, now)).toEqual({ problem });
  });

  it('a key expiring later is fine', () => {
    expect('principal' in authorizeKey(record({ expiresAt: '2026-01-01T00:00:01Z' }), now)).toBe(true);
  });
});

describe('plans', () => {
  it('match the documented table', () => {
    expect(Object.entries(PLANS).map(([name, p]) => [name, p.requestsPerMinute, p.bulkLimit, p.features.length])).toEqual([
      ['free', 60, 100, 0],
      ['pro', 600, 1_000, 2],
      ['business', 1_200, 10_000, 5],
      ['enterprise', 3_000, 10_000, 5],
    ]);
    expect(PLANS.pro.features).toEqual(['linkExpiration', 'passwordProtection']);
    expect(PLANS.enterprise.linkQuota).toBeNull();
  });

  it('a per-workspace rate limit replaces the plan’s, nothing else', () => {
    expect(limitsOf('free', 5)).toEqual({ ...PLANS.free, requestsPerMinute: 5 });
    expect(limitsOf('free', null)).toBe(PLANS.free);
  });
});
