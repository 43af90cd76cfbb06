import { retryDelayMs, type RetryPolicy } from './retry-schedule';

/** What one HTTP attempt at a receiver gave. */
export interface AttemptResult {
  startedAt: Date;
  durationMs: number;
  /** null when no response came (refused destination, connection error, timeout). */
  status: number | null;
  /** The first bytes of the response body (at most 1 KB). */
  body: string | null;
  error: string | null;
}

export interface Verdict {
  state: 'delivered' | 'pending' | 'failed';
  nextAttemptAt: Date | null;
  /** The delivery ran out of attempts. */
  exhausted: boolean;
  /** Set when the receiver asked to stop (410 Gone): the subscription is turned off. */
  disableReason: string | null;
}

export const GONE_REASON = 'The receiver answered 410 Gone';

/**
 * What follows an attempt: 2xx delivers; 410 keeps the delivery pending and turns the
 * subscription off (turning it on again resumes it); anything else is retried on the schedule
 * until the attempts run out.
 */
export function judge(result: AttemptResult, attempt: number, policy: RetryPolicy, now: Date, random: number): Verdict {
  if (result.status !== null && result.status >= 200 && result.status < 300) {
    return { state: 'delivered', nextAttemptAt: null, exhausted: false, disableReason: null };
  }
  if (result.status === 410) return { state: 'pending', nextAttemptAt: now, exhausted: false, disableReason: GONE_REASON };
  const delay = retryDelayMs(policy, attempt, random);
  return delay === null
    ? { state: 'failed', nextAttemptAt: null, exhausted: true, disableReason: null }
    : { state: 'pending', nextAttemptAt: new Date(now.getTime() + delay), exhausted: false, disableReason: null };
}

/** Why a subscription is turned off after `count` deliveries in a row failed every attempt. */
export const failuresReason = (count: number, last: AttemptResult) =>
  `${count} deliveries in a row failed every attempt (last: ${last.status !== null ? `HTTP ${last.status}` : last.error})`;
