/**
 * When to try a failed delivery again. Attempt n (1 = the first try) failed → wait
 * base × 3^(n-1), capped, ±20 % jitter so receivers coming back are not hit by a wall of retries.
 * With the defaults (base 5 s, cap 10 h, 11 attempts) the waits are
 * 5 s, 15 s, 45 s, 2¼ min, 6¾ min, 20 min, 1 h, 3 h, 9 h, 10 h: about 24 h from first to last try.
 */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 5_000, maxDelayMs: 10 * 3_600_000, maxAttempts: 11 };

/** The delay after failed attempt `attempt`, or null when it was the last one; `random` ∈ [0, 1). */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: number): number | null {
  if (attempt >= policy.maxAttempts) return null;
  const nominal = Math.min(policy.baseDelayMs * 3 ** (attempt - 1), policy.maxDelayMs);
  return Math.round(nominal * (0.8 + 0.4 * random));
}
