import { GONE_REASON, judge, type AttemptResult } from './attempt';

const policy = { baseDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: 3 };
const now = new Date('2026-01-01T00:00:00Z');
const result = (status: number | null, error: string | null = null): AttemptResult => ({ startedAt: now, durationMs: 5, status, body: null, error });

describe('judge', () => {
  it('delivers on 2xx', () => {
    expect(judge(result(204), 1, policy, now, 0.5)).toEqual({ state: 'delivered', nextAttemptAt: null, exhausted: false, disableReason: null });
  });

  it('retries other answers and no answer on the schedule, until the attempts run out', () => {
    expect(judge(result(500), 1, policy, now, 0.5).nextAttemptAt).toEqual(new Date(now.getTime() + 1_000));
    expect(judge(result(null, 'ECONNREFUSED'), 2, policy, now, 0.5).nextAttemptAt).toEqual(new Date(now.getTime() + 3_000));
    expect(judge(result(302), 3, policy, now, 0.5)).toEqual({ state: 'failed', nextAttemptAt: null, exhausted: true, disableReason: null });
  });

  it('keeps the delivery and turns the subscription off on 410', () => {
    expect(judge(result(410), 3, policy, now, 0.5)).toEqual({ state: 'pending', nextAttemptAt: now, exhausted: false, disableReason: GONE_REASON });
  });
});
