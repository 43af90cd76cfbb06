/** The outcome of counting one request against its workspace's sliding window. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds at which the oldest counted request leaves the window (a slot frees up). */
  resetAt: number;
  /** Seconds to wait before a retry can succeed (0 when allowed). */
  retryAfter: number;
}

/** What the headers say when the limiter cannot be asked (fail open): the whole limit left. */
export const unmeteredDecision = (limit: number, nowMs = Date.now()): RateLimitDecision => ({
  allowed: true,
  limit,
  remaining: limit,
  resetAt: Math.ceil(nowMs / 1000) + 60,
  retryAfter: 0,
});
