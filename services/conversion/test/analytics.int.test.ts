import { randomUUID } from 'node:crypto';
import { EventProducer, newEvent } from '@hop/events';
import { TestInfra, eventually } from '@hop/testing';
import { start as startAnalytics } from '../../analytics/src/main';
import { loadAnalyticsConfig } from '../../analytics/src/config';
import { PeerStandIn, call, leadBody, saleBody, shortIdOf, startConversion } from './support';

/**
 * The real analytics service: clicks it ingested from Kafka are found through its
 * /internal/clicks lookup (no Redis record), and the conversions this service emits come back
 * in its summary.
 */
const infra = new TestInfra();
const links = new PeerStandIn();
let analytics: Awaited<ReturnType<typeof startAnalytics>>;
let conversion: Awaited<ReturnType<typeof startConversion>>;
let producer: EventProducer;

const WS = randomUUID();
const OTHER_WS = randomUUID();

beforeAll(async () => {
  await links.start();
  analytics = await startAnalytics(
    loadAnalyticsConfig(
      infra.serviceEnv('analytics', {
        CLICKS_CONSUMER_GROUP: `${infra.id}-analytics-clicks`,
        CONVERSIONS_CONSUMER_GROUP: `${infra.id}-analytics-conversions`,
        PENDING_CONVERSIONS_INTERVAL_MS: '200',
      }),
    ),
  );
  conversion = await startConversion(infra, { analytics: analytics.url, link: links.url });
  producer = new EventProducer(infra.kafka(), infra.topicPrefix);
});

afterAll(async () => {
  await producer?.disconnect();
  await conversion?.close();
  await analytics?.close();
  await links.stop();
  await infra.cleanup();
});

/** A click the redirector recorded (only on Kafka: Redis never saw it), once analytics ingested it. */
async function ingestedClick(workspaceId: string) {
  const link = links.addLink(workspaceId, { partnerId: randomUUID() });
  const clickId = `k${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const data = {
    clickId,
    linkId: link.id,
    shortId: shortIdOf(link),
    partnerId: link.partnerId,
    tenantId: null,
    externalId: null,
    destination: link.url,
    referrer: null,
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
    ipHash: null,
    country: 'FR',
    city: 'Paris',
    qr: false,
    bot: false,
    visitorId: null,
    visitorSessionId: null,
    utm: null,
    trigger: 'link' as const,
    timestamp: new Date().toISOString(),
  };
  await producer.publish('clicks', [newEvent('click.recorded', workspaceId, data)], () => link.id);
  await eventually(async () => (await call(analytics.url, 'GET', `/internal/clicks/${clickId}`, { workspaceId })).status === 200);
  return { clickId, link };
}

test('a click known only to analytics (no Redis record) attributes a lead', async () => {
  const { clickId, link } = await ingestedClick(WS);
  const reply = await call(conversion.url, 'POST', '/api/track/lead', { workspaceId: WS, body: leadBody({ clickId, customerExternalId: 'c-analytics' }) });
  expect(reply.status).toBe(201);
  expect(reply.body.click).toEqual({ id: clickId });
  expect(reply.body.link).toEqual(link);
  const [lead] = await conversion.db.query('SELECT link_id, partner_id FROM leads WHERE click_id = $1', [clickId]);
  expect(lead).toEqual({ link_id: link.id, partner_id: link.partnerId });
});

test("analytics' click of another workspace is refused with the documented message", async () => {
  const { clickId } = await ingestedClick(OTHER_WS);
  const reply = await call(conversion.url, 'POST', '/api/track/lead', { workspaceId: WS, body: leadBody({ clickId, customerExternalId: 'c-foreign' }) });
  expect(reply.status).toBe(400);
  expect(reply.body.error.en).toBe(`Click ID ${clickId} not found or does not belong to your workspace`);
});

test("leads, sales and revenue reach analytics through Kafka and show in the link's summary", async () => {
  const { clickId, link } = await ingestedClick(WS);
  const track = (path: string, body: unknown) => call(conversion.url, 'POST', path, { workspaceId: WS, body });
  expect((await track('/api/track/lead', leadBody({ clickId, customerExternalId: 'c-summary' }))).status).toBe(201);
  expect((await track('/api/track/sale', saleBody({ customerExternalId: 'c-summary', amount: 12900 }))).status).toBe(201);
  expect((await track('/api/track/sale', saleBody({ customerExternalId: 'c-summary', amount: 100 }))).status).toBe(201);

  const summary = await eventually(async () => {
    const reply = await call(analytics.url, 'GET', `/api/analytics/summary?groupBy=count&interval=24h&linkId=${link.id}`, { workspaceId: WS });
    return reply.status === 200 && reply.body.sales === 2 ? reply.body : null;
  });
  expect(summary).toMatchObject({ clicks: 1, leads: 1, sales: 2, revenue: 13000 });
});
