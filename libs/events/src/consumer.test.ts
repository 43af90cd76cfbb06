import { RESTART_BACKOFF, restartDelay } from './consumer';

describe('restartDelay', () => {
  it('doubles from the initial delay up to the cap, with up to half of it random', () => {
    const backoff = { initialMs: 500, maxMs: 30_000 };
    expect([0, 1, 2, 3].map((n) => restartDelay(n, backoff, () => 1))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([0, 1, 2, 3].map((n) => restartDelay(n, backoff, () => 0))).toEqual([250, 500, 1_000, 2_000]);
    expect(restartDelay(6, backoff, () => 1)).toBe(30_000);
    expect(restartDelay(6, backoff, () => 0)).toBe(15_000);
  });

  it('stays bounded however many attempts failed', () => {
    for (const attempt of [10, 100, 10_000]) {
      expect(restartDelay(attempt)).toBeLessThanOrEqual(RESTART_BACKOFF.maxMs);
      expect(restartDelay(attempt)).toBeGreaterThanOrEqual(RESTART_BACKOFF.maxMs / 2);
    }
  });
});
