import type { Granularity } from './format';

export const INTERVALS = ['24h', '7d', '30d', '90d', '1y', 'all'] as const;
export type Interval = (typeof INTERVALS)[number];

/** A range ending now, or custom calendar dates (YYYY-MM-DD, both inclusive). */
export type Range = { interval: Interval } | { startDate: string; endDate: string };

export interface Totals {
  clicks: number;
  leads: number;
  sales: number;
  revenue: number;
}

const DAY_MS = 86_400_000;

/**
 * The timeseries bucket for a range, sent to the API so the labels match the data: hours up to
 * two days, days up to about three months, months beyond (as the API would choose).
 */
export function granularityFor(range: Range): Granularity {
  if ('interval' in range) return range.interval === '24h' ? 'hour' : range.interval === '1y' || range.interval === 'all' ? 'month' : 'day';
  const days = (Date.parse(range.endDate) - Date.parse(range.startDate)) / DAY_MS + 1;
  if (days <= 2) return 'hour';
  return days <= 92 ? 'day' : 'month';
}

/** The query parameters of a range (a custom one is valid only when it runs forwards). */
export function rangeParams(range: Range): Record<string, string> | null {
  if ('interval' in range) return { interval: range.interval };
  if (!range.startDate || !range.endDate || range.startDate > range.endDate) return null;
  return { startDate: range.startDate, endDate: range.endDate };
}

export interface FunnelStep {
  step: 'clicks' | 'leads' | 'sales';
  count: number;
  /** Share of the previous step; null for the first step or after an empty one. */
  rate: number | null;
}

/** Clicks → leads → sales with each step's conversion from the one before. */
export function funnelSteps(totals: Totals): FunnelStep[] {
  const steps = (['clicks', 'leads', 'sales'] as const).map((step) => ({ step, count: totals[step] }));
  return steps.map((s, i) => ({ ...s, rate: i === 0 || steps[i - 1].count === 0 ? null : s.count / steps[i - 1].count }));
}

/** The newest live clicks first, without repeats (a reconnect may deliver one twice), at most `limit`. */
export function mergeLive<T extends { id: string }>(shown: T[], arrived: T, limit: number): T[] {
  return [arrived, ...shown.filter((c) => c.id !== arrived.id)].slice(0, limit);
}

/** The mark Lighthouse and bench/console.js read: the analytics page's figures and chart on screen. */
export const RENDERED_MARK = 'hop:analytics-rendered';

export function markRendered(): void {
  if (performance.getEntriesByName(RENDERED_MARK).length === 0) performance.mark(RENDERED_MARK);
}
