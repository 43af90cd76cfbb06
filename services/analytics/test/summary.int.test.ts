import { randomUUID } from 'node:crypto';
import { eventually } from '@hop/testing';
import {
  AnalyticsHarness,
  CHROME_MAC,
  GOOGLEBOT,
  SAFARI_IPHONE,
  clickEvent,
  conversionEvent,
  linkUpserted,
  get,
  waitForClicks,
  type Analytics,
} from './helpers';

const h = new AnalyticsHarness();
let service: Analytics;

const ws = randomUUID();
const linkA = randomUUID();
const linkB = randomUUID();
const partner = randomUUID();
const spring = randomUUID();
const autumn = randomUUID();
const RANGE = 'startDate=2024-01-09&endDate=2024-01-11';

const summary = async (query: string, workspaceId = ws) => {
  const r = await get(service, `/api/analytics/summary${query ? `?${query}` : ''}`, workspaceId);
  expect(r.status).toBe(200);
  return r.body;
};
const metrics = (clicks: number, leads = 0, sales = 0, revenue = 0) => ({ clicks, leads, sales, revenue });
/** Rows with equal counts come in value order, which depends on the database collation: compare as sets. */
const unordered = (rows: object[]) => expect.arrayContaining(rows.map((r) => expect.objectContaining(r)));

beforeAll(async () => {
  service = await h.start();
  const a = { linkId: linkA, partnerId: partner };
  const b = { linkId: linkB };
  const google = { referrer: 'https://www.google.com/search?q=x', utm: { source: 'google', medium: 'cpc', campaign: 'summer' } };
  await h.publishClicks([
    clickEvent(ws, { ...a, ...google, country: 'US', city: 'New York', userAgent: CHROME_MAC, timestamp: '2024-01-10T03:00:00Z' }),
    clickEvent(ws, { ...a, ...google, country: 'US', city: 'New York', userAgent: SAFARI_IPHONE, qr: true, trigger: 'qr', timestamp: '2024-01-10T06:00:00Z' }),
    clickEvent(ws, {
      ...b,
      referrer: 'https://t.co/abc',
      utm: { source: 'newsletter', medium: 'email', campaign: 'winter' },
      country: 'DE',
      city: 'Berlin',
      userAgent: CHROME_MAC,
      timestamp: '2024-01-10T20:00:00Z',
    }),
    clickEvent(ws, { ...b, country: 'US', city: 'Boston', userAgent: SAFARI_IPHONE, timestamp: '2024-01-11T04:30:00Z' }),
    clickEvent(ws, { ...a, country: 'US', city: 'New York', userAgent: GOOGLEBOT, bot: true, timestamp: '2024-01-10T06:10:00Z' }),
  ]);
  // links.v1: A in spring; B in spring, then moved to autumn (a replayed older version changes nothing)
  await h.publishLinks([
    linkUpserted(ws, linkA, null, 1),
    linkUpserted(ws, linkA, spring, 2),
    linkUpserted(ws, linkB, spring, 1),
    linkUpserted(ws, linkB, autumn, 3),
  ]);
  await h.publishLinks([linkUpserted(ws, linkB, spring, 2)]);
  await waitForClicks(service, ws, 5);
  await h.caughtUp(`${h.infra.topicPrefix}analytics-links`, 'links');
});
afterAll(() => h.cleanup());

describe('GET /api/analytics/summary', () => {
  it('counts clicks without bots unless includeBots=true', async () => {
    expect(await summary(`groupBy=count&${RANGE}`)).toEqual(metrics(4));
    expect(await summary(`${RANGE}&includeBots=true`)).toEqual(metrics(5));
  });

  it('breaks clicks down by country and city, with country names', async () => {
    expect(await summary(`groupBy=countries&${RANGE}`)).toEqual([
      { countryCode: 'US', country: 'United States', ...metrics(3) },
      { countryCode: 'DE', country: 'Germany', ...metrics(1) },
    ]);
    const cities = await summary(`groupBy=cities&${RANGE}`);
    expect(cities[0]).toEqual({ city: 'New York', countryCode: 'US', country: 'United States', ...metrics(2) });
    expect(cities).toEqual(
      unordered([
        { city: 'Berlin', countryCode: 'DE', country: 'Germany', ...metrics(1) },
        { city: 'Boston', countryCode: 'US', country: 'United States', ...metrics(1) },
      ]),
    );
    expect(cities).toHaveLength(3);
  });

  it.each([
    ['devices', [{ device: 'desktop', ...metrics(2) }, { device: 'mobile', ...metrics(2) }]],
    ['browsers', [{ browser: 'Chrome', ...metrics(2) }, { browser: 'Mobile Safari', ...metrics(2) }]],
    ['os', [{ os: 'Mac OS', ...metrics(2) }, { os: 'iOS', ...metrics(2) }]],
    ['referrers', [{ referrer: 'google.com', ...metrics(2) }, { referrer: 't.co', ...metrics(1) }, { referrer: null, ...metrics(1) }]],
    ['top_links', [{ linkId: linkA, ...metrics(2) }, { linkId: linkB, ...metrics(2) }]],
    ['top_partners', [{ partnerId: partner, ...metrics(2) }]],
    ['utm_sources', [{ utmSource: 'google', ...metrics(2) }, { utmSource: 'newsletter', ...metrics(1) }, { utmSource: null, ...metrics(1) }]],
    ['utm_mediums', [{ utmMedium: 'cpc', ...metrics(2) }, { utmMedium: 'email', ...metrics(1) }, { utmMedium: null, ...metrics(1) }]],
    ['utm_campaigns', [{ utmCampaign: 'summer', ...metrics(2) }, { utmCampaign: 'winter', ...metrics(1) }, { utmCampaign: null, ...metrics(1) }]],
    ['triggers', [{ trigger: 'link', ...metrics(3) }, { trigger: 'qr', ...metrics(1) }]],
  ])('groups by %s', async (groupBy, expected) => {
    const rows = await summary(`groupBy=${groupBy}&${RANGE}`);
    expect(rows).toHaveLength(expected.length);
    expect(rows).toEqual(unordered(expected));
    expect(rows.map((r: { clicks: number }) => r.clicks)).toEqual(expected.map((r) => r.clicks)); // most clicks first
  });

  it('counts top links and partners exactly over ranges that cut days', async () => {
    // Whole day January 10 from daily rows, the morning of the 11th from hourly link rows.
    const wide = 'startDate=2024-01-09T12:00:00Z&endDate=2024-01-11T04:59:00Z';
    expect(await summary(`groupBy=top_links&${wide}`)).toEqual(unordered([{ linkId: linkA, ...metrics(2) }, { linkId: linkB, ...metrics(2) }]));
    expect(await summary(`groupBy=top_links&${wide}&includeBots=true`)).toEqual([{ linkId: linkA, ...metrics(3) }, { linkId: linkB, ...metrics(2) }]);
    // Within one day only: all from hourly link rows.
    const narrow = 'startDate=2024-01-10T05:00:00Z&endDate=2024-01-11T04:59:00Z';
    expect(await summary(`groupBy=top_links&${narrow}`)).toEqual([{ linkId: linkB, ...metrics(2) }, { linkId: linkA, ...metrics(1) }]);
    expect(await summary(`groupBy=top_partners&${narrow}`)).toEqual([{ partnerId: partner, ...metrics(1) }]);
  });

  it('limits a breakdown to take rows', async () => {
    expect(await summary(`groupBy=cities&take=1&${RANGE}`)).toEqual([{ city: 'New York', countryCode: 'US', country: 'United States', ...metrics(2) }]);
  });

  it('applies the linkId and partnerId filters to every report', async () => {
    expect(await summary(`groupBy=countries&linkId=${linkB}&${RANGE}`)).toEqual(
      unordered([
        { countryCode: 'DE', country: 'Germany', ...metrics(1) },
        { countryCode: 'US', country: 'United States', ...metrics(1) },
      ]),
    );
    expect(await summary(`groupBy=countries&partnerId=${partner}&${RANGE}`)).toEqual([{ countryCode: 'US', country: 'United States', ...metrics(2) }]);
    expect(await summary(`groupBy=top_links&partnerId=${partner}&${RANGE}`)).toEqual([{ linkId: linkA, ...metrics(2) }]);
    expect(await summary(`groupBy=top_partners&linkId=${linkB}&${RANGE}`)).toEqual([]);
    expect(await summary(`groupBy=count&linkId=${linkA}&partnerId=${partner}&${RANGE}&includeBots=true`)).toEqual(metrics(3));
    expect(await summary(`groupBy=count&linkId=${linkB}&partnerId=${partner}&${RANGE}`)).toEqual(metrics(0));
    expect(await summary(`groupBy=triggers&linkId=${linkA}&${RANGE}`)).toEqual(unordered([{ trigger: 'link', ...metrics(1) }, { trigger: 'qr', ...metrics(1) }]));
  });

  it('filters every report by collection, from the links.v1 projection', async () => {
    expect(await summary(`groupBy=count&collectionId=${spring}&${RANGE}`)).toEqual(metrics(2));
    expect(await summary(`groupBy=count&collectionId=${spring}&${RANGE}&includeBots=true`)).toEqual(metrics(3));
    expect(await summary(`groupBy=top_links&collectionId=${autumn}&${RANGE}`)).toEqual([{ linkId: linkB, ...metrics(2) }]);
    expect(await summary(`groupBy=countries&collectionId=${autumn}&${RANGE}`)).toEqual(
      unordered([
        { countryCode: 'DE', country: 'Germany', ...metrics(1) },
        { countryCode: 'US', country: 'United States', ...metrics(1) },
      ]),
    );
    const daily = (await summary(`groupBy=timeseries&granularity=day&collectionId=${spring}&${RANGE}`)) as { start: string; clicks: number }[];
    expect(daily.map((p) => [p.start, p.clicks])).toEqual([
      ['2024-01-09T00:00:00.000Z', 0],
      ['2024-01-10T00:00:00.000Z', 2],
      ['2024-01-11T00:00:00.000Z', 0],
    ]);
    // with the other filters: all must hold
    expect(await summary(`groupBy=count&collectionId=${autumn}&partnerId=${partner}&${RANGE}`)).toEqual(metrics(0));
    expect(await summary(`groupBy=count&collectionId=${randomUUID()}&${RANGE}`)).toEqual(metrics(0));
    // another workspace's collection of the same id sees nothing of these links
    expect(await summary(`groupBy=count&collectionId=${spring}&${RANGE}`, randomUUID())).toEqual(metrics(0));
  });

  it('never mixes workspaces', async () => {
    expect(await summary(`${RANGE}`, randomUUID())).toEqual(metrics(0));
    expect(await summary(`groupBy=countries&linkId=${linkA}&${RANGE}`, randomUUID())).toEqual([]);
  });

  describe('timeseries', () => {
    const series = (body: { start: string; clicks: number }[]) => body.map((p) => [p.start, p.clicks]);

    it('buckets by day in UTC by default', async () => {
      expect(series(await summary(`groupBy=timeseries&granularity=day&${RANGE}`))).toEqual([
        ['2024-01-09T00:00:00.000Z', 0],
        ['2024-01-10T00:00:00.000Z', 3],
        ['2024-01-11T00:00:00.000Z', 1],
      ]);
    });

    it('buckets by local day of the requested time zone', async () => {
      // New York is UTC-5 in January: 03:00Z is still January 9 there, 04:30Z on the 11th is January 10.
      expect(series(await summary(`groupBy=timeseries&granularity=day&timezone=America/New_York&${RANGE}`))).toEqual([
        ['2024-01-08T05:00:00.000Z', 0],
        ['2024-01-09T05:00:00.000Z', 1],
        ['2024-01-10T05:00:00.000Z', 3],
        ['2024-01-11T05:00:00.000Z', 0],
      ]);
      // Tokyo is UTC+9: 20:00Z is already January 11 there.
      expect(series(await summary(`groupBy=timeseries&granularity=day&timezone=Asia/Tokyo&${RANGE}`))).toEqual([
        ['2024-01-08T15:00:00.000Z', 0],
        ['2024-01-09T15:00:00.000Z', 2],
        ['2024-01-10T15:00:00.000Z', 2],
        ['2024-01-11T15:00:00.000Z', 0],
      ]);
    });

    it('gives every hour across a daylight saving change exactly once', async () => {
      // Europe/Paris skips 02:00 on 2024-03-31: six UTC hours are six local periods.
      const body = await summary('groupBy=timeseries&granularity=hour&timezone=Europe/Paris&startDate=2024-03-30T22:00:00Z&endDate=2024-03-31T03:59:00Z');
      expect(body.map((p: { start: string }) => p.start)).toEqual([
        '2024-03-30T22:00:00.000Z',
        '2024-03-30T23:00:00.000Z',
        '2024-03-31T00:00:00.000Z',
        '2024-03-31T01:00:00.000Z',
        '2024-03-31T02:00:00.000Z',
        '2024-03-31T03:00:00.000Z',
      ]);
    });

    it('picks hourly points for short ranges and counts bots only on request', async () => {
      const body = await summary('groupBy=timeseries&startDate=2024-01-10T05:00:00Z&endDate=2024-01-10T07:59:59Z&includeBots=true');
      expect(series(body)).toEqual([
        ['2024-01-10T05:00:00.000Z', 0],
        ['2024-01-10T06:00:00.000Z', 2],
        ['2024-01-10T07:00:00.000Z', 0],
      ]);
      expect(body[1]).toEqual({ start: '2024-01-10T06:00:00.000Z', ...metrics(2) });
    });
  });

  describe('intervals', () => {
    const recent = randomUUID();
    beforeAll(async () => {
      const now = Date.now();
      await h.publishClicks([
        clickEvent(recent, { timestamp: new Date(now - 60_000).toISOString() }),
        clickEvent(recent, { timestamp: new Date(now - 3 * 24 * 3_600_000).toISOString() }),
        clickEvent(recent, { timestamp: new Date(now - 200 * 24 * 3_600_000).toISOString() }),
      ]);
      await waitForClicks(service, recent, 3);
    });

    it('defaults to the last 24 hours and widens with interval', async () => {
      expect((await summary('', recent)).clicks).toBe(1);
      expect((await summary('interval=24h', recent)).clicks).toBe(1);
      expect((await summary('interval=7d', recent)).clicks).toBe(2);
      expect((await summary('interval=90d', recent)).clicks).toBe(2);
      expect((await summary('interval=1y', recent)).clicks).toBe(3);
      expect((await summary('interval=all', recent)).clicks).toBe(3);
    });

    it('gives 24 hourly points for 24h and monthly points since the first click for all', async () => {
      const day = await summary('groupBy=timeseries&interval=24h', recent);
      expect(day).toHaveLength(24);
      expect(day.reduce((s: number, p: { clicks: number }) => s + p.clicks, 0)).toBe(1);
      const all = await summary('groupBy=timeseries&interval=all', recent);
      expect(all.length).toBeGreaterThanOrEqual(7);
      expect(all.reduce((s: number, p: { clicks: number }) => s + p.clicks, 0)).toBe(3);
      expect(new Date(all[1].start).getTime() - new Date(all[0].start).getTime()).toBeGreaterThan(27 * 24 * 3_600_000);
    });

    it('reads the rollups, not the raw clicks', async () => {
      await h.sql('DELETE FROM clicks WHERE workspace_id = $1', [recent]);
      expect((await summary('interval=all', recent)).clicks).toBe(3);
    });
  });

  it.each([
    ['groupBy=everything', 'groupBy'],
    ['interval=2d', 'interval'],
    ['timezone=Mars/Olympus', 'timezone'],
    ['granularity=minute', 'granularity'],
    ['linkId=abc', 'linkId'],
    ['partnerId=abc', 'partnerId'],
    ['startDate=yesterday', 'startDate'],
    ['take=0', 'take'],
    ['includeBots=1x', 'includeBots'],
    ['groupBy=timeseries&granularity=hour&startDate=2000-01-01&endDate=2024-01-01', 'granularity'],
  ])('rejects %s with 400 naming %s', async (query, field) => {
    const r = await get(service, `/api/analytics/summary?${query}`, ws);
    expect(r.status).toBe(400);
    expect(r.body.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('rejects interval together with dates, and a start after the end', async () => {
    const both = await get(service, `/api/analytics/summary?interval=7d&startDate=2024-01-01`, ws);
    expect(both.status).toBe(400);
    expect(both.body.details[0].message).toMatch(/either interval or startDate\/endDate/);
    const reversed = await get(service, '/api/analytics/summary?startDate=2024-02-01&endDate=2024-01-01', ws);
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.en).toBe('startDate must not be after endDate');
  });
});

describe('conversions from conversions.v1', () => {
  const cw = randomUUID();
  const linkC = randomUUID();
  const linkD = randomUUID();
  const partnerC = randomUUID();
  const k1 = { clickId: `k1-${cw}`, linkId: linkC, partnerId: partnerC };
  const k2 = { clickId: `k2-${cw}`, linkId: linkD };
  const k3 = { clickId: `k3-${cw}`, linkId: linkD };
  const day = 'startDate=2024-01-10&endDate=2024-01-10';
  const otherWorkspace = randomUUID();

  beforeAll(async () => {
    await h.publishClicks([
      clickEvent(cw, { ...k1, country: 'US', timestamp: '2024-01-10T03:00:00Z' }),
      clickEvent(cw, { ...k2, country: 'FR', timestamp: '2024-01-10T04:00:00Z' }),
    ]);
    await waitForClicks(service, cw, 2);
    const saleK2 = conversionEvent('sale.created', cw, k2, { amount: 1_000, timestamp: '2024-01-10T06:30:00Z' });
    await h.publishConversions([
      conversionEvent('lead.created', cw, k1, { timestamp: '2024-01-10T05:00:00Z' }),
      conversionEvent('sale.created', cw, k1, { amount: 4_999, timestamp: '2024-01-10T06:00:00Z' }),
      saleK2,
      saleK2, // delivered twice: counted once
      // Another workspace naming k1's click (in the same batch): never found, never counted.
      conversionEvent('sale.created', otherWorkspace, k1, { amount: 777, timestamp: '2024-01-10T06:00:00Z' }),
    ]);
    // A lead whose click is not ingested yet waits for it.
    await h.publishConversions([conversionEvent('lead.created', cw, k3, { timestamp: '2024-01-10T07:30:00Z' })]);
    await eventually(async () => (await h.sql('SELECT 1 FROM pending_conversions WHERE workspace_id = $1', [cw])).length === 1);
    await h.publishClicks([clickEvent(cw, { ...k3, country: 'FR', timestamp: '2024-01-10T07:00:00Z' })]);
    await eventually(async () => (await summary(day, cw)).leads === 2);
  });

  it('counts leads, sales and revenue in the totals', async () => {
    expect(await summary(day, cw)).toEqual(metrics(3, 2, 2, 5_999));
  });

  it('looks clicks up only in the conversion\'s own workspace', async () => {
    await eventually(async () => (await h.sql('SELECT 1 FROM pending_conversions WHERE workspace_id = $1', [otherWorkspace])).length === 1);
    expect(await h.sql('SELECT sales, revenue::int FROM click_ids WHERE click_id = $1', [k1.clickId])).toEqual([{ sales: 1, revenue: 4_999 }]);
    expect(await summary(day, otherWorkspace)).toEqual(metrics(0, 0, 0, 0));
  });

  it('attributes them to the click country, link and partner', async () => {
    expect(await summary(`groupBy=countries&${day}`, cw)).toEqual([
      { countryCode: 'FR', country: 'France', ...metrics(2, 1, 1, 1_000) },
      { countryCode: 'US', country: 'United States', ...metrics(1, 1, 1, 4_999) },
    ]);
    expect(await summary(`groupBy=top_partners&${day}`, cw)).toEqual([{ partnerId: partnerC, ...metrics(1, 1, 1, 4_999) }]);
    expect(await summary(`linkId=${linkD}&${day}`, cw)).toEqual(metrics(2, 1, 1, 1_000));
    expect(await summary(`partnerId=${partnerC}&${day}`, cw)).toEqual(metrics(1, 1, 1, 4_999));
  });

  it('places them in the hour they happened', async () => {
    const body = await summary(`groupBy=timeseries&granularity=hour&startDate=2024-01-10T03:00:00Z&endDate=2024-01-10T07:00:00Z`, cw);
    expect(body.map((p: object) => Object.values(p))).toEqual([
      ['2024-01-10T03:00:00.000Z', 1, 0, 0, 0],
      ['2024-01-10T04:00:00.000Z', 1, 0, 0, 0],
      ['2024-01-10T05:00:00.000Z', 0, 1, 0, 0],
      ['2024-01-10T06:00:00.000Z', 0, 0, 2, 5_999],
      ['2024-01-10T07:00:00.000Z', 1, 1, 0, 0],
    ]);
  });

  it('keeps per-click counters', async () => {
    expect((await get(service, `/internal/clicks/${k1.clickId}`, cw)).body).toMatchObject({ leads: 1, sales: 1, revenue: 4_999 });
    expect((await get(service, `/internal/clicks/${k3.clickId}`, cw)).body).toMatchObject({ leads: 1, sales: 0, revenue: 0 });
  });

  it('counts a redelivered conversion once', async () => {
    const lead = conversionEvent('lead.created', cw, k2, { timestamp: '2024-01-10T08:00:00Z' });
    await h.publishConversions([lead]);
    await eventually(async () => (await summary(day, cw)).leads === 3);
    await h.publishConversions([lead, lead]);
    await h.caughtUp(`${h.infra.topicPrefix}analytics-conversions`, 'conversions');
    expect(await summary(day, cw)).toEqual(metrics(3, 3, 2, 5_999));
  });
});
