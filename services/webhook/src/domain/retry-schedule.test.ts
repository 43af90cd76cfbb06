import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry-schedule';

describe('retry schedule', () => {
  it('grows by 3× from 5 s, caps at 10 h and spans about a day', () => {
    const nominal = Array.from({ length: DEFAULT_RETRY_POLICY.maxAttempts - 1 }, (_, i) => retryDelayMs(DEFAULT_RETRY_POLICY, i + 1, 0.5)!);
    expect(nominal.slice(0, 3)).toEqual([5_000, 15_000, 45_000]);
    expect(Math.max(...nominal)).toBe(10 * 3_600_000);
    const totalHours = nominal.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(totalHours).toBeGreaterThan(20);
    expect(totalHours).toBeLessThan(28);
  });

  it('jitters by ±20 %', () => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 2, 0)).toBe(12_000);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 2, 0.999999)).toBe(18_000);
  });

  it('stops after the last attempt', () => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, DEFAULT_RETRY_POLICY.maxAttempts, 0.5)).toBeNull();
  });
});
