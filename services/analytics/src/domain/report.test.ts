import { defaultGranularity, estimatedPoints, reportHours, splitRange } from './report';

const d = (s: string) => new Date(s);
const iso = (x: Date | null | undefined) => x?.toISOString() ?? null;

describe('reportHours', () => {
  const now = d('2024-05-10T15:42:00Z');

  it('covers the last 24 whole hours including the current one by default', () => {
    const r = reportHours({}, now);
    expect([iso(r.from), iso(r.to)]).toEqual(['2024-05-09T16:00:00.000Z', '2024-05-10T16:00:00.000Z']);
  });

  it('goes back N days for 7d/30d/90d/1y and to the first click for all', () => {
    expect(iso(reportHours({ interval: '7d' }, now).from)).toBe('2024-05-03T16:00:00.000Z');
    expect(iso(reportHours({ interval: '1y' }, now).from)).toBe('2023-05-11T16:00:00.000Z');
    expect(reportHours({ interval: 'all' }, now).from).toBeNull();
  });

  it('widens explicit dates to whole hours, both ends included', () => {
    const r = reportHours({ startDate: d('2024-01-01T10:30:00Z'), endDate: d('2024-01-02T08:15:00Z') }, now);
    expect([iso(r.from), iso(r.to)]).toEqual(['2024-01-01T10:00:00.000Z', '2024-01-02T09:00:00.000Z']);
    expect(iso(reportHours({ startDate: d('2024-01-01T00:00:00Z') }, now).to)).toBe('2024-05-10T16:00:00.000Z');
    expect(reportHours({ endDate: d('2024-01-01T00:00:00Z') }, now).from).toBeNull();
  });
});

describe('granularity', () => {
  it('is hourly up to two days, daily up to ~3 months, monthly beyond', () => {
    expect(defaultGranularity(d('2024-01-01T00:00:00Z'), d('2024-01-03T00:00:00Z'))).toBe('hour');
    expect(defaultGranularity(d('2024-01-01T00:00:00Z'), d('2024-03-01T00:00:00Z'))).toBe('day');
    expect(defaultGranularity(d('2023-01-01T00:00:00Z'), d('2024-01-01T00:00:00Z'))).toBe('month');
    expect(estimatedPoints(d('2024-01-01T00:00:00Z'), d('2024-01-02T00:00:00Z'), 'hour')).toBe(24);
  });
});

describe('splitRange', () => {
  const HOUR = 3_600_000;

  it('cuts a range into whole units and the partial units at both ends', () => {
    const s = splitRange(d('2024-01-01T10:15:00Z'), d('2024-01-01T13:20:00Z'), HOUR);
    expect([iso(s.whole?.from), iso(s.whole?.to)]).toEqual(['2024-01-01T11:00:00.000Z', '2024-01-01T13:00:00.000Z']);
    expect(s.edges.map((e) => [iso(e.from), iso(e.to)])).toEqual([
      ['2024-01-01T10:15:00.000Z', '2024-01-01T11:00:00.000Z'],
      ['2024-01-01T13:00:00.000Z', '2024-01-01T13:20:00.000Z'],
    ]);
  });

  it('has no edges for aligned bounds, and keeps open ends open', () => {
    expect(splitRange(d('2024-01-01T10:00:00Z'), d('2024-01-01T12:00:00Z'), HOUR).edges).toEqual([]);
    expect(splitRange(null, null, HOUR)).toEqual({ whole: { from: null, to: null }, edges: [] });
    const days = splitRange(null, d('2024-01-03T05:00:00Z'), 24 * HOUR);
    expect([days.whole?.from, iso(days.whole?.to)]).toEqual([null, '2024-01-03T00:00:00.000Z']);
    expect(days.edges.map((e) => [iso(e.from), iso(e.to)])).toEqual([['2024-01-03T00:00:00.000Z', '2024-01-03T05:00:00.000Z']]);
  });

  it('is all edge when the range holds no whole unit', () => {
    const s = splitRange(d('2024-01-01T10:15:00Z'), d('2024-01-01T10:15:00.001Z'), HOUR);
    expect(s.whole).toBeNull();
    expect(s.edges.map((e) => [iso(e.from), iso(e.to)])).toEqual([['2024-01-01T10:15:00.000Z', '2024-01-01T10:15:00.001Z']]);
  });
});
