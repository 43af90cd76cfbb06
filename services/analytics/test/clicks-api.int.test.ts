import { randomUUID } from 'node:crypto';
import { AnalyticsHarness, GOOGLEBOT, clickEvent, get, waitForClicks, type Analytics } from './helpers';

const h = new AnalyticsHarness();
const ws = randomUUID();
const other = randomUUID();
const linkA = randomUUID();
const linkB = randomUUID();
const partner = randomUUID();
let service: Analytics;

/** id → click time; the bot click is at 10:50. */
const CLICKS = [
  { id: 'a1', link: linkA, at: '2024-01-10T10:15:00.000Z' },
  { id: 'a2', link: linkA, at: '2024-01-10T10:45:00.000Z' },
  { id: 'b1', link: linkB, at: '2024-01-10T11:30:00.000Z' },
  { id: 'a3', link: linkA, at: '2024-01-10T12:00:00.000Z' },
  { id: 'b2', link: linkB, at: '2024-01-11T09:00:00.000Z' },
  { id: 'a4', link: linkA, at: '2024-01-11T23:59:59.999Z' },
];
const ids = (body: { id: string }[]) => body.map((c) => c.id);
const total = (r: { headers: Headers }) => Number(r.headers.get('x-total-count'));

beforeAll(async () => {
  service = await h.start();
  await h.publishClicks([
    ...CLICKS.map((c) => clickEvent(ws, { clickId: c.id, linkId: c.link, partnerId: c.link === linkA ? partner : null, timestamp: c.at })),
    clickEvent(ws, { clickId: 'bot1', linkId: linkA, partnerId: partner, bot: true, userAgent: GOOGLEBOT, timestamp: '2024-01-10T10:50:00.000Z' }),
    // Another workspace's clicks, even on the same link and partner ids.
    clickEvent(other, { clickId: 'x1', linkId: linkA, partnerId: partner, timestamp: '2024-01-10T10:30:00.000Z' }),
    clickEvent(other, { clickId: 'x2', linkId: randomUUID(), timestamp: '2024-01-10T10:31:00.000Z' }),
  ]);
  await waitForClicks(service, ws, CLICKS.length + 1);
  await waitForClicks(service, other, 2);
});
afterAll(() => h.cleanup());

describe('GET /api/analytics', () => {
  it('lists the workspace clicks newest first, without bots, with X-Total-Count', async () => {
    const r = await get(service, '/api/analytics', ws);
    expect(r.status).toBe(200);
    expect(ids(r.body)).toEqual(['a4', 'b2', 'a3', 'b1', 'a2', 'a1']);
    expect(total(r)).toBe(6);
  });

  it('sorts oldest first with sort=asc', async () => {
    const r = await get(service, '/api/analytics?sort=asc', ws);
    expect(ids(r.body)).toEqual(['a1', 'a2', 'b1', 'a3', 'b2', 'a4']);
  });

  it('pages with take and skip, the total staying the full count', async () => {
    const r = await get(service, '/api/analytics?take=2&skip=1&sort=asc', ws);
    expect(ids(r.body)).toEqual(['a2', 'b1']);
    expect(total(r)).toBe(6);
    const past = await get(service, '/api/analytics?skip=50', ws);
    expect(past.body).toEqual([]);
    expect(total(past)).toBe(6);
    expect((await get(service, '/api/analytics?take=10000', ws)).status).toBe(200);
  });

  it('includes bot clicks only with includeBots=true', async () => {
    const r = await get(service, '/api/analytics?includeBots=true&sort=asc', ws);
    expect(ids(r.body)).toEqual(['a1', 'a2', 'bot1', 'b1', 'a3', 'b2', 'a4']);
    expect(r.body[2]).toMatchObject({ bot: true, deviceType: 'desktop' });
    expect(total(r)).toBe(7);
    expect(total(await get(service, '/api/analytics?includeBots=false', ws))).toBe(6);
  });

  it('filters by linkId, by partnerId and by both', async () => {
    const byLink = await get(service, `/api/analytics?linkId=${linkB}&sort=asc`, ws);
    expect(ids(byLink.body)).toEqual(['b1', 'b2']);
    expect(total(byLink)).toBe(2);
    const byPartner = await get(service, `/api/analytics?partnerId=${partner}&sort=asc`, ws);
    expect(ids(byPartner.body)).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(total(byPartner)).toBe(4);
    const both = await get(service, `/api/analytics?partnerId=${partner}&linkId=${linkB}`, ws);
    expect(both.body).toEqual([]);
    expect(total(both)).toBe(0);
  });

  it('filters by startDate and endDate inclusively, with exact totals over partial hours', async () => {
    const r = await get(service, '/api/analytics?startDate=2024-01-10T10:45:00Z&endDate=2024-01-10T12:00:00Z&sort=asc', ws);
    expect(ids(r.body)).toEqual(['a2', 'b1', 'a3']);
    expect(total(r)).toBe(3);
    const withBots = await get(service, '/api/analytics?startDate=2024-01-10T10:16:00Z&endDate=2024-01-11T09:00:00Z&includeBots=true', ws);
    expect(ids(withBots.body)).toEqual(['b2', 'a3', 'b1', 'bot1', 'a2']);
    expect(total(withBots)).toBe(5);
    const from = await get(service, '/api/analytics?startDate=2024-01-10T12:00:00.000Z', ws);
    expect(ids(from.body)).toEqual(['a4', 'b2', 'a3']);
    expect(total(from)).toBe(3);
    const until = await get(service, `/api/analytics?endDate=2024-01-10T11:30:00%2B00:00&linkId=${linkB}`, ws);
    expect(ids(until.body)).toEqual(['b1']);
    expect(total(until)).toBe(1);
    const sameInstant = await get(service, '/api/analytics?startDate=2024-01-10T10:15:00Z&endDate=2024-01-10T10:15:00Z', ws);
    expect(ids(sameInstant.body)).toEqual(['a1']);
    expect(total(sameInstant)).toBe(1);
  });

  it('reads a date without time as a whole UTC day, and honours offsets', async () => {
    const day = await get(service, '/api/analytics?startDate=2024-01-11&endDate=2024-01-11&sort=asc', ws);
    expect(ids(day.body)).toEqual(['b2', 'a4']);
    expect(total(day)).toBe(2);
    const offset = await get(service, '/api/analytics?startDate=2024-01-10T12:30:00%2B01:00&endDate=2024-01-10T13:00:00%2B01:00', ws);
    expect(ids(offset.body)).toEqual(['a3', 'b1']);
    expect(total(offset)).toBe(2);
  });

  it('never shows another workspace its clicks', async () => {
    const r = await get(service, `/api/analytics?linkId=${linkA}&includeBots=true`, other);
    expect(ids(r.body)).toEqual(['x1']);
    expect(total(r)).toBe(1);
    expect(total(await get(service, `/api/analytics?partnerId=${partner}`, other))).toBe(1);
    const stranger = await get(service, '/api/analytics?includeBots=true', randomUUID());
    expect(stranger.body).toEqual([]);
    expect(total(stranger)).toBe(0);
  });

  it.each([
    ['linkId=not-a-uuid', 'linkId'],
    ['partnerId=123', 'partnerId'],
    ['startDate=invalid-date', 'startDate'],
    ['endDate=2024-02-30T00:00:00Z', 'endDate'],
    ['startDate=2024-01-01T25:00:00Z', 'startDate'],
    ['startDate=01/02/2024', 'startDate'],
    ['take=0', 'take'],
    ['take=10001', 'take'],
    ['take=abc', 'take'],
    ['skip=-1', 'skip'],
    ['sort=newest', 'sort'],
    ['includeBots=maybe', 'includeBots'],
    ['linkId=', 'linkId'],
    [`linkId=${linkA}&linkId=${linkB}`, 'linkId'],
    ['color=red', 'color'],
  ])('rejects %s with 400 naming %s', async (query, field) => {
    const r = await get(service, `/api/analytics?${query}`, ws);
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ en: 'Invalid request', ar: 'طلب غير صالح' });
    expect(r.body.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('rejects a startDate after the endDate', async () => {
    const r = await get(service, '/api/analytics?startDate=2024-01-31T00:00:00Z&endDate=2024-01-01T00:00:00Z', ws);
    expect(r.status).toBe(400);
    expect(r.body.error.en).toBe('startDate must not be after endDate');
  });

  it('refuses requests that did not come through the gateway', async () => {
    const response = await fetch(`${service.url}/api/analytics`, { headers: { 'x-hop-workspace-id': ws } });
    expect(response.status).toBe(401);
  });
});

describe('GET /internal/clicks/:clickId', () => {
  it('returns the click of the calling workspace', async () => {
    const r = await get(service, '/internal/clicks/a1', ws);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      clickId: 'a1',
      linkId: linkA,
      workspaceId: ws,
      partnerId: partner,
      shortId: 'abc123',
      createdAt: '2024-01-10T10:15:00.000Z',
      leads: 0,
      sales: 0,
      revenue: 0,
    });
  });

  it('answers 404 for an unknown click and for another workspace', async () => {
    expect((await get(service, '/internal/clicks/nope', ws)).status).toBe(404);
    expect((await get(service, '/internal/clicks/x1', ws)).status).toBe(404);
    expect((await get(service, '/internal/clicks/a1', other)).status).toBe(404);
  });
});
