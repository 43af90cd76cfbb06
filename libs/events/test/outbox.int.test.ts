import { randomUUID } from 'node:crypto';
import { openDatabase, type DataSource } from '@hop/db';
import { createLogger } from '@hop/telemetry';
import { PrivateKafka, TestInfra, eventually } from '@hop/testing';
import { Kafka, logLevel } from 'kafkajs';
import {
  CreateOutbox1700000000000,
  EventProducer,
  OUTBOX_ENTITIES,
  OutboxRelay,
  enqueueEvents,
  ensureTopics,
  newEvent,
  topicName,
  type EventEnvelope,
} from '../src';

const logger = createLogger('test', 'silent');
const keyOf = (e: EventEnvelope) => (e.data as { tagId: string }).tagId;

async function readAll(kafka: Kafka, topic: string, expected: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const ids: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void ids.push(JSON.parse(message.value!.toString()).id) });
  try {
    await eventually(() => ids.length >= expected, 30_000);
    return ids;
  } finally {
    await consumer.disconnect();
  }
}

describe('transactional outbox (real PostgreSQL and Kafka)', () => {
  const infra = new TestInfra();
  let db: DataSource;

  beforeAll(async () => {
    db = await openDatabase({ url: infra.databaseUrl('outbox'), entities: OUTBOX_ENTITIES, migrations: [CreateOutbox1700000000000] });
  });
  afterAll(async () => {
    await db.destroy();
    await infra.cleanup();
  });

  it('never publishes an event written in a rolled-back transaction', async () => {
    const event = newEvent('tag.deleted', randomUUID(), { tagId: randomUUID() });
    await expect(
      db.transaction(async (manager) => {
        await enqueueEvents(manager, 'catalog', [event], keyOf);
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    const [{ count }] = await db.query('SELECT count(*)::int AS count FROM outbox');
    expect(count).toBe(0);
  });

  it('publishes, in order, events committed while Kafka was down once it is back', async () => {
    const broker = new PrivateKafka();
    const kafka = new Kafka({ clientId: 'outbox-test', brokers: broker.brokers, logLevel: logLevel.NOTHING, retry: { retries: 1 } });
    const producer = new EventProducer(kafka, infra.topicPrefix);
    const relay = new OutboxRelay({ dataSource: db, producer, topicPrefix: infra.topicPrefix, service: 'test', logger, pollIntervalMs: 100 });
    try {
      // Kafka is down (never started yet) when the state change commits.
      const events = Array.from({ length: 5 }, () => newEvent('tag.deleted', randomUUID(), { tagId: randomUUID() }));
      await db.transaction((manager) => enqueueEvents(manager, 'catalog', events, keyOf));
      relay.start();
      await expect(relay.drain()).rejects.toThrow();
      const [{ pending }] = await db.query('SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL');
      expect(pending).toBe(5);

      await broker.start();
      await ensureTopics(kafka, infra.topicPrefix, [{ topic: 'catalog', partitions: 1 }]);
      await eventually(async () => {
        const [{ left }] = await db.query('SELECT count(*)::int AS left FROM outbox WHERE published_at IS NULL');
        return left === 0;
      }, 60_000);
      const ids = await readAll(kafka, topicName('catalog', infra.topicPrefix), 5);
      expect(ids).toEqual(events.map((e) => e.id));
    } finally {
      await relay.stop();
      await producer.disconnect();
      await broker.destroy();
    }
  });
});
