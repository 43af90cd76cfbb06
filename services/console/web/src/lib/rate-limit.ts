/** The workspace's request budget as the gateway reports it on every authenticated answer. */
export interface RateLimit {
  /** Requests per minute (the plan's, or the workspace's override). */
  limit: number;
  remaining: number;
  /** When the oldest counted request leaves the 60-second window. */
  resetAt: Date;
}

/** X-RateLimit-Limit/-Remaining/-Reset (Unix seconds) read from an answer; null when any is missing. */
export function rateLimitOf(headers: Pick<Headers, 'get'>): RateLimit | null {
  const read = (name: string) => {
    const raw = headers.get(name);
    const value = raw === null || raw.trim() === '' ? NaN : Number(raw);
    return Number.isInteger(value) && value >= 0 ? value : null;
  };
  const limit = read('x-ratelimit-limit');
  const remaining = read('x-ratelimit-remaining');
  const reset = read('x-ratelimit-reset');
  if (limit === null || remaining === null || reset === null) return null;
  return { limit, remaining, resetAt: new Date(reset * 1000) };
}

/** The share of the minute's budget used, 0–100 (for the usage meter). */
export const usedPercent = (rate: RateLimit) => (rate.limit === 0 ? 100 : Math.round(((rate.limit - rate.remaining) / rate.limit) * 100));
