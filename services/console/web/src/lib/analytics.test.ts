import { describe, expect, it } from 'vitest';
import { funnelSteps, granularityFor, mergeLive, rangeParams } from './analytics';

describe('analytics page helpers', () => {
  it('chooses the timeseries bucket from the range', () => {
    expect(granularityFor({ interval: '24h' })).toBe('hour');
    expect(granularityFor({ interval: '30d' })).toBe('day');
    expect(granularityFor({ interval: 'all' })).toBe('month');
    expect(granularityFor({ startDate: '2024-01-01', endDate: '2024-01-02' })).toBe('hour');
    expect(granularityFor({ startDate: '2024-01-01', endDate: '2024-03-31' })).toBe('day');
    expect(granularityFor({ startDate: '2024-01-01', endDate: '2024-12-31' })).toBe('month');
  });

  it('sends an interval or forward custom dates', () => {
    expect(rangeParams({ interval: '7d' })).toEqual({ interval: '7d' });
    expect(rangeParams({ startDate: '2024-01-01', endDate: '2024-01-31' })).toEqual({ startDate: '2024-01-01', endDate: '2024-01-31' });
    expect(rangeParams({ startDate: '2024-02-01', endDate: '2024-01-31' })).toBeNull();
    expect(rangeParams({ startDate: '', endDate: '2024-01-31' })).toBeNull();
  });

  it('computes the funnel with each step against the one before', () => {
    expect(funnelSteps({ clicks: 200, leads: 50, sales: 5, revenue: 1000 })).toEqual([
      { step: 'clicks', count: 200, rate: null },
      { step: 'leads', count: 50, rate: 0.25 },
      { step: 'sales', count: 5, rate: 0.1 },
    ]);
    expect(funnelSteps({ clicks: 0, leads: 0, sales: 0, revenue: 0 }).map((s) => s.rate)).toEqual([null, null, null]);
  });

  it('keeps the newest live clicks first, once each, up to the limit', () => {
    const shown = [{ id: 'b' }, { id: 'a' }];
    expect(mergeLive(shown, { id: 'c' }, 2)).toEqual([{ id: 'c' }, { id: 'b' }]);
    expect(mergeLive(shown, { id: 'a' }, 5)).toEqual([{ id: 'a' }, { id: 'b' }]);
  });
});
