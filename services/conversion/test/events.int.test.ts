import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Consumer } from 'kafkajs';
import { topicName, validateEvent, type EventEnvelope } from '@hop/events';
import { TestInfra, eventually } from '@hop/testing';
import { PeerStandIn, call, leadBody, saleBody, startConversion, writeRecentClick } from './support';

const infra = new TestInfra();
const peers = new PeerStandIn();
let service: Awaited<ReturnType<typeof startConversion>>;
let redis: Redis;
let consumer: Consumer;
const received: { key: string; event: EventEnvelope }[] = [];

const WS = randomUUID();

beforeAll(async () => {
  await peers.start();
  service = await startConversion(infra, { analytics: peers.url, link: peers.url });
  redis = infra.redis();
  consumer = infra.kafka().consumer({ groupId: `${infra.id}-events-test`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: topicName('conversions', infra.topicPrefix), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      received.push({ key: message.key!.toString(), event: validateEvent('conversions', JSON.parse(message.value!.toString())) });
    },
  });
});

afterAll(async () => {
  await consumer?.disconnect();
  await service?.close();
  redis?.disconnect();
  await peers.stop();
  await infra.cleanup();
});

test('lead.created and sale.created reach conversions.v1, keyed by customer, valid against the shared schema', async () => {
  const partnerId = randomUUID();
  const link = peers.addLink(WS, { partnerId });
  const click = await writeRecentClick(redis, { linkId: link.id, workspaceId: WS, partnerId });
  const lead = await call(service.url, 'POST', '/api/track/lead', {
    workspaceId: WS,
    body: leadBody({ clickId: click.clickId, customerExternalId: 'cust_events', metadata: { source: 'web' } }),
  });
  expect(lead.status).toBe(201);
  const sale = await call(service.url, 'POST', '/api/track/sale', {
    workspaceId: WS,
    body: saleBody({ customerExternalId: 'cust_events', amount: 4990, currency: 'EUR' }),
    headers: { 'idempotency-key': 'evt-1' },
  });
  expect(sale.status).toBe(201);
  // A retry must not produce a second event.
  await call(service.url, 'POST', '/api/track/sale', {
    workspaceId: WS,
    body: saleBody({ customerExternalId: 'cust_events', amount: 4990, currency: 'EUR' }),
    headers: { 'idempotency-key': 'evt-1' },
  });

  const customerId = lead.body.customer.id;
  await eventually(() => received.length >= 2);
  const attribution = { customerId, customerExternalId: 'cust_events', clickId: click.clickId, linkId: link.id, partnerId };
  expect(received.map((r) => r.key)).toEqual([customerId, customerId]);
  const [leadEvent, saleEvent] = received.map((r) => r.event);
  expect(leadEvent).toMatchObject({
    type: 'lead.created',
    workspaceId: WS,
    data: { ...attribution, leadId: expect.any(String), eventName: 'Sign up', metadata: { source: 'web' } },
  });
  expect(saleEvent).toMatchObject({
    type: 'sale.created',
    workspaceId: WS,
    data: { ...attribution, saleId: expect.any(String), eventName: 'Purchase', amount: 4990, currency: 'eur', metadata: null },
  });
  const [storedLead] = await service.db.query('SELECT id FROM leads WHERE customer_id = $1', [customerId]);
  expect(leadEvent.data).toMatchObject({ leadId: storedLead.id });

  // The retried sale queued nothing: exactly the two events were ever written to the outbox.
  expect(Number((await service.db.query('SELECT count(*) AS n FROM outbox'))[0].n)).toBe(2);
});
