import { enrichClick } from './click';
import { MAX_VALUE_LENGTH, ZERO_ID, breakdownJson, breakdownValues, mergeBreakdowns, referrerHost, rollupRows, type Fact } from './rollup';

const W = '11111111-1111-4111-8111-111111111111';
const L = '22222222-2222-4222-8222-222222222222';
const P = '33333333-3333-4333-8333-333333333333';
const ONE = { clicks: 1, leads: 0, sales: 0, revenue: 0 };

const click = (overrides: Partial<Parameters<typeof enrichClick>[1]> = {}) =>
  enrichClick(W, { clickId: 'c', linkId: L, shortId: 's', partnerId: P, qr: false, bot: false, trigger: 'link', timestamp: '2024-01-10T10:15:00Z', country: 'US', ...overrides });

describe('rollupRows', () => {
  it('adds a workspace row per dimension (with top link and partner) and one link row with the breakdown', () => {
    const { workspace, links } = rollupRows([{ click: click({ city: 'Boston' }), at: new Date('2024-01-10T10:15:00Z'), metrics: ONE }]);
    expect(workspace.map((r) => r.dimension).sort()).toEqual(
      ['browser', 'city', 'count', 'country', 'device', 'link', 'os', 'partner', 'referrer', 'trigger', 'utm_campaign', 'utm_medium', 'utm_source'].sort(),
    );
    expect(workspace.find((r) => r.dimension === 'link')).toMatchObject({ value: L, bucket: new Date('2024-01-10T00:00:00Z') });
    expect(workspace.find((r) => r.dimension === 'partner')).toMatchObject({ value: P, bucket: new Date('2024-01-10T00:00:00Z') });
    const hourly = workspace.filter((r) => r.dimension !== 'link' && r.dimension !== 'partner');
    expect(hourly.every((r) => r.bucket.toISOString() === '2024-01-10T10:00:00.000Z' && r.clicks === 1)).toBe(true);
    expect(links).toEqual([
      expect.objectContaining({ linkId: L, partnerId: P, bucket: new Date('2024-01-10T10:00:00Z'), bot: false, clicks: 1 }),
    ]);
    expect(JSON.parse(breakdownJson(links[0].breakdown))).toMatchObject({ country: { US: 1 }, city: { 'US|Boston': 1 } });
    expect([...links[0].breakdown.keys()]).not.toContain('link');
  });

  it('sums facts that fall on the same rows and keeps bots on their own rows', () => {
    const at = new Date('2024-01-10T10:59:59Z');
    const facts: Fact[] = [
      { click: click(), at, metrics: ONE },
      { click: click({ clickId: 'd', country: 'DE' }), at, metrics: { clicks: 0, leads: 0, sales: 1, revenue: 500 } },
      { click: click({ bot: true }), at, metrics: ONE },
    ];
    const { workspace, links } = rollupRows(facts);
    expect(workspace.filter((r) => r.dimension === 'count')).toEqual([
      expect.objectContaining({ bot: false, clicks: 1, sales: 1, revenue: 500 }),
      expect.objectContaining({ bot: true, clicks: 1, sales: 0 }),
    ]);
    expect(links).toHaveLength(2);
    expect(JSON.parse(breakdownJson(links.find((r) => !r.bot)!.breakdown)).country).toEqual({ US: 1, DE: [0, 0, 1, 500] });
  });

  it('sums top-link rows per day, other dimensions per hour', () => {
    const { workspace } = rollupRows([
      { click: click(), at: new Date('2024-01-10T01:00:00Z'), metrics: ONE },
      { click: click(), at: new Date('2024-01-10T23:00:00Z'), metrics: ONE },
    ]);
    expect(workspace.filter((r) => r.dimension === 'link')).toEqual([expect.objectContaining({ clicks: 2 })]);
    expect(workspace.filter((r) => r.dimension === 'count')).toHaveLength(2);
  });

  it('writes no partner row for a click without partner and files its link row under ZERO_ID', () => {
    const { workspace, links } = rollupRows([{ click: click({ partnerId: null }), at: new Date('2024-01-10T11:00:00Z'), metrics: ONE }]);
    expect(workspace.some((r) => r.dimension === 'partner')).toBe(false);
    expect(links[0].partnerId).toBe(ZERO_ID);
  });

  it('orders rows the same whatever the order of the facts (concurrent transactions lock in one order)', () => {
    const facts: Fact[] = [
      { click: click({ country: 'DE' }), at: new Date('2024-01-10T11:00:00Z'), metrics: ONE },
      { click: click({ partnerId: null, linkId: P }), at: new Date('2024-01-10T09:00:00Z'), metrics: ONE },
      { click: click({ bot: true }), at: new Date('2024-01-09T09:00:00Z'), metrics: ONE },
    ];
    expect(rollupRows([...facts].reverse())).toEqual(rollupRows(facts));
  });
});

describe('breakdownValues', () => {
  it('derives every breakdown from a click', () => {
    expect(
      breakdownValues(
        click({
          city: 'New York',
          referrer: 'https://www.Google.com/x',
          utm: { utm_source: 'g', medium: 'cpc' },
          trigger: 'qr',
          userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
        }),
      ),
    ).toEqual({
      country: 'US',
      city: 'US|New York',
      device: 'mobile',
      browser: 'Mobile Safari',
      os: 'iOS',
      referrer: 'google.com',
      utm_source: 'g',
      utm_medium: 'cpc',
      utm_campaign: '',
      trigger: 'qr',
    });
  });

  it('caps values so that a huge UTM tag cannot break the rollup index', () => {
    const values = breakdownValues(click({ utm: { campaign: 'x'.repeat(5_000) }, city: 'y'.repeat(1_000) }));
    expect(values.utm_campaign).toHaveLength(MAX_VALUE_LENGTH);
    expect(values.city.length).toBe(MAX_VALUE_LENGTH);
  });

  it('groups referrers by host, keeps non-URLs as they are, and none is direct', () => {
    expect(referrerHost('android-app://com.slack')).toBe('com.slack');
    expect(referrerHost('not a url')).toBe('not a url');
    expect(referrerHost(null)).toBe('');
  });
});

describe('stored breakdowns', () => {
  it('store a value with clicks only as its number of clicks', () => {
    const { links } = rollupRows([
      { click: click(), at: new Date('2024-01-10T10:00:00Z'), metrics: ONE },
      { click: click({ country: 'DE' }), at: new Date('2024-01-10T10:00:00Z'), metrics: { clicks: 0, leads: 1, sales: 0, revenue: 0 } },
    ]);
    expect(JSON.parse(breakdownJson(links[0].breakdown)).country).toEqual({ US: 1, DE: [0, 1, 0, 0] });
  });

  it('merge with increments value by value', () => {
    const stored = { country: { US: 1, DE: [2, 1, 0, 0] } } as never;
    const delta = new Map([
      ['country', new Map([['US', [3, 0, 1, 250]]])],
      ['device', new Map([['mobile', [3, 0, 0, 0]]])],
    ]) as never;
    expect(JSON.parse(breakdownJson(mergeBreakdowns(stored, delta)))).toEqual({
      country: { US: [4, 0, 1, 250], DE: [2, 1, 0, 0] },
      device: { mobile: 3 },
    });
  });

  it('treat visitor-controlled values such as "__proto__" as ordinary keys', () => {
    const { links } = rollupRows([
      { click: click({ utm: { source: '__proto__' }, referrer: 'constructor', city: 'a"b\\c' }), at: new Date('2024-01-10T10:00:00Z'), metrics: ONE },
    ]);
    const stored = JSON.parse(breakdownJson(links[0].breakdown));
    const merged = JSON.parse(breakdownJson(mergeBreakdowns(stored, links[0].breakdown)));
    expect(Object.entries(merged.utm_source)).toEqual([['__proto__', 2]]);
    expect(merged.referrer).toEqual({ constructor: 2 });
    expect(merged.city).toEqual({ 'US|a"b\\c': 2 });
    expect(({} as Record<string, unknown>)[0]).toBeUndefined();
  });
});
