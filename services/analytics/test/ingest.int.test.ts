import { randomUUID } from 'node:crypto';
import { topicName } from '@hop/events';
import { eventually } from '@hop/testing';
import { ClickPartitions } from '../src/infra/click-partitions';
import {
  AnalyticsHarness,
  CHROME_MAC,
  SAFARI_IPHONE,
  clickEvent,
  get,
  storedClicks,
  waitForClicks,
  integrity,
  type Analytics,
} from './helpers';

const h = new AnalyticsHarness();
const workspace = randomUUID();
let service: Analytics;

beforeAll(async () => {
  service = await h.start();
});
afterAll(() => h.cleanup());

describe('click ingestion from clicks.v1', () => {
  it('stores a click produced to Kafka with every documented field, enriched', async () => {
    const linkId = randomUUID();
    const partnerId = randomUUID();
    const event = clickEvent(workspace, {
      linkId,
      partnerId,
      shortId: 'promo',
      tenantId: 'tenant_123',
      externalId: 'ext_123',
      destination: 'https://example.com/?hoko_id=x',
      referrer: 'https://www.google.com/search?q=hop',
      userAgent: SAFARI_IPHONE,
      country: 'us',
      city: 'New York',
      qr: true,
      visitorId: 'visitor_123',
      visitorSessionId: 'session_123',
      utm: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'summer', utm_term: '' },
      trigger: 'qr',
      timestamp: '2024-03-05T10:20:30.123Z',
    });
    await h.publishClicks([event]);
    const body = await eventually(async () => {
      const r = await get(service, `/api/analytics?linkId=${linkId}`, workspace);
      return r.body.length === 1 && r.body;
    });
    expect(body[0]).toEqual({
      id: (event.data as { clickId: string }).clickId,
      linkId,
      partnerId,
      visitorId: 'visitor_123',
      visitorSessionId: 'session_123',
      referrer: 'https://www.google.com/search?q=hop',
      destination: 'https://example.com/?hoko_id=x',
      shortId: 'promo',
      utm: { source: 'google', medium: 'cpc', campaign: 'summer' },
      externalId: 'ext_123',
      tenantId: 'tenant_123',
      browserName: 'Mobile Safari',
      browserVersion: '17.1',
      osName: 'iOS',
      osVersion: '17.1',
      deviceType: 'mobile',
      country: 'United States',
      countryCode: 'US',
      city: 'New York',
      createdAt: '2024-03-05T10:20:30.123Z',
      qr: true,
      bot: false,
    });
  });

  it('reports a desktop browser as deviceType "desktop" and unknown geography as null', async () => {
    const linkId = randomUUID();
    await h.publishClicks([clickEvent(workspace, { linkId, userAgent: CHROME_MAC })]);
    const [click] = await eventually(async () => {
      const r = await get(service, `/api/analytics?linkId=${linkId}`, workspace);
      return r.body.length === 1 && r.body;
    });
    expect(click).toMatchObject({ browserName: 'Chrome', browserVersion: '120.0.0.0', osName: 'Mac OS', deviceType: 'desktop', country: null, countryCode: null, city: null, partnerId: null, utm: null });
  });

  it('moves past events that could never be stored instead of blocking the partition', async () => {
    const linkId = randomUUID();
    await h.producer.sendRaw(topicName('clicks', h.infra.topicPrefix), [{ key: linkId, value: 'not json' }]);
    await h.publishClicks([
      clickEvent('not-a-uuid', { linkId }),
      clickEvent(workspace, { linkId, utm: { campaign: 'x'.repeat(5_000) }, city: 'y'.repeat(3_000) }),
    ]);
    const [stored] = await eventually(async () => {
      const r = await get(service, `/api/analytics?linkId=${linkId}`, workspace);
      return r.body.length === 1 && r.body;
    });
    expect(stored.utm.campaign).toHaveLength(5_000); // the click keeps it; rollups keep a prefix
    const [top] = (await get(service, `/api/analytics/summary?groupBy=utm_campaigns&linkId=${linkId}&interval=24h`, workspace)).body;
    expect(top.utmCampaign).toBe('x'.repeat(200));
  });

  it('puts each click in its month partition, and moves default-partition rows when their month gets one', async () => {
    const old = clickEvent(workspace, { timestamp: '2019-06-15T12:00:00.000Z' }); // beyond the partition window: default
    const recent = clickEvent(workspace, { timestamp: new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 10)).toISOString() });
    const before = await storedClicks(service, workspace);
    await h.publishClicks([old, recent]);
    await waitForClicks(service, workspace, before + 2);
    const where = async (clickId: string) =>
      (await h.sql<{ p: string }>('SELECT tableoid::regclass::text AS p FROM clicks WHERE click_id = $1', [clickId]))[0].p;
    const recentAt = new Date((recent.data as { timestamp: string }).timestamp);
    expect(await where((recent.data as { clickId: string }).clickId)).toBe(
      `clicks_${recentAt.getUTCFullYear()}_${String(recentAt.getUTCMonth() + 1).padStart(2, '0')}`,
    );
    expect(await where((old.data as { clickId: string }).clickId)).toBe('clicks_default');

    // The partition for that month appears later (e.g. created by an operator or a wider window): its rows move in.
    await new ClickPartitions(service.db, service.logger, 0).ensureFor([new Date('2019-06-15T12:00:00Z')], new Date('2019-07-01T00:00:00Z'));
    expect(await where((old.data as { clickId: string }).clickId)).toBe('clicks_2019_06');
  });

  it('adds nothing when the same events are produced again or the topic is replayed by a new group', async () => {
    const ws = randomUUID();
    const links = [randomUUID(), randomUUID()];
    const events = Array.from({ length: 300 }, (_, i) => clickEvent(ws, { linkId: links[i % 2] }));
    await h.publishClicks(events);
    await waitForClicks(service, ws, 300);

    await h.publishClicks(events.slice(0, 150)); // the redirector's retry, or a spool replay
    // a marker per link (each link's clicks share a partition): once both are stored, the duplicates before them were processed
    await h.publishClicks(links.map((linkId) => clickEvent(ws, { linkId })));
    await waitForClicks(service, ws, 302);

    // A consumer group that starts from the beginning re-reads every click: like a crash before any offset commit.
    const replayGroup = `${h.infra.id}-replay`;
    const replayer = await h.start({ CLICKS_CONSUMER_GROUP: replayGroup, CONVERSIONS_CONSUMER_GROUP: `${h.infra.id}-replay-conv` });
    await h.caughtUp(replayGroup);
    await h.stop(replayer);

    expect(await storedClicks(service, ws)).toBe(302);
    expect(await integrity(h, ws)).toEqual({ rows: 302, distinctIds: 302, rollupClicks: 302 });
  });

  it('drops whole months past the retention and keeps their rollups', async () => {
    const ws = randomUUID();
    const old = clickEvent(ws, { timestamp: '2019-06-20T08:00:00.000Z' }); // the 2019-06 partition exists (test above)
    await h.publishClicks([old, clickEvent(ws)]);
    await waitForClicks(service, ws, 2);
    const before = (await get(service, '/api/analytics/summary?interval=all', ws)).body;

    await new ClickPartitions(service.db, service.logger, 1).maintain();

    const partitions = await h.sql<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'clicks'::regclass`,
    );
    const now = new Date();
    const current = `clicks_${now.getUTCFullYear()}_${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(partitions.map((p) => p.name).filter((n) => n !== 'clicks_default' && n < current)).toEqual([]);
    expect(await storedClicks(service, ws)).toBe(1);
    expect((await get(service, `/internal/clicks/${(old.data as { clickId: string }).clickId}`, ws)).status).toBe(404);
    expect((await get(service, '/api/analytics/summary?interval=all', ws)).body).toEqual(before);
    expect(before.clicks).toBe(2);
  });
});
