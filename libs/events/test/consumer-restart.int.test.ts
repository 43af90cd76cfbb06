import { createLogger, registry } from '@hop/telemetry';
import { KafkaJSGroupCoordinatorNotFound } from 'kafkajs';
import { PrivateKafka, TestInfra, eventually } from '@hop/testing';
import { EventProducer, createKafka, ensureTopics, newEvent, runConsumer, type EventEnvelope, type RunningConsumer } from '../src';

const logger = createLogger('consumer-restart', process.env.HOP_TEST_LOG_LEVEL ?? 'silent');
const tagDeleted = (n: number) => newEvent('tag.deleted', '00000000-0000-4000-8000-000000000001', { tagId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` });
// kafkajs's typings declare no argument; its own code (cluster/index.js) passes this message.
const CoordinatorNotFound = KafkaJSGroupCoordinatorNotFound as unknown as new (message: string) => Error;
const isReady = (consumer: RunningConsumer) => consumer.check().then(
  () => true,
  () => false,
);

/** Restarts counted for one group (hop_kafka_consumer_restarts_total). */
async function restartsOf(group: string): Promise<number> {
  const metric = await registry.getSingleMetric('hop_kafka_consumer_restarts_total')?.get();
  return (metric?.values ?? []).filter((v) => v.labels.group === group).reduce((sum, v) => sum + v.value, 0);
}

/**
 * A consumer outlives a broker restart. The broker is this file's own (the shared one serves every
 * other test); stopping it crashes the consumer (kafkajs gives up on the group coordinator), and
 * runConsumer recreates it until it has joined again.
 */
describe('runConsumer: a consumer recovers from a broker restart (real, private broker)', () => {
  const infra = new TestInfra();
  const broker = new PrivateKafka();
  const prefix = infra.topicPrefix;
  const kafka = createKafka({ brokers: broker.brokers, clientId: 'consumer-restart-test', topicPrefix: prefix }, logger);
  const producer = new EventProducer(kafka, prefix);
  const consumers: RunningConsumer[] = [];
  // Short backoff: the tests wait for the rejoin, not for a production-sized pause.
  const consume = async (groupId: string, handle: (events: EventEnvelope[]) => Promise<void>) => {
    const consumer = await runConsumer({ kafka, groupId, topic: 'catalog', prefix, logger, backoff: { initialMs: 200, maxMs: 2_000 }, handle });
    consumers.push(consumer);
    return consumer;
  };

  beforeAll(async () => {
    await broker.start();
    await ensureTopics(kafka, prefix, [{ topic: 'catalog' }]);
  }, 150_000);
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await producer.disconnect();
    await broker.destroy();
    await infra.cleanup();
  }, 90_000);

  it('crashes while the broker is down, reports not ready, rejoins once it is back and consumes every event published before and after, each once', async () => {
    const groupId = `${infra.id}-restart`;
    const received: string[] = [];
    const consumer = await consume(groupId, async (events) => void received.push(...events.map((e) => e.id)));
    expect(await isReady(consumer)).toBe(true);

    const before = Array.from({ length: 20 }, (_, i) => tagDeleted(i));
    await producer.publish('catalog', before, (e) => e.id);
    await eventually(() => received.length >= before.length);
    const restartsBefore = await restartsOf(groupId);

    await broker.stop();
    await eventually(async () => !(await isReady(consumer)), 60_000, 200);
    await broker.start();
    await eventually(() => isReady(consumer), 90_000, 200);
    const restarts = (await restartsOf(groupId)) - restartsBefore;

    const after = Array.from({ length: 20 }, (_, i) => tagDeleted(100 + i));
    await producer.publish('catalog', after, (e) => e.id);
    await eventually(() => received.length >= before.length + after.length, 60_000);

    expect(restarts).toBeGreaterThan(0);
    expect([...received].sort()).toEqual([...before, ...after].map((e) => e.id).sort());
    console.log(`consumer recreated ${restarts} time(s) across the broker restart; ${received.length} events consumed`);
  }, 240_000);

  it('is recreated after a crash kafkajs does not restart ("Failed to find group coordinator"), and gets the failed batch again', async () => {
    const groupId = `${infra.id}-final`;
    const sent = Array.from({ length: 5 }, (_, i) => tagDeleted(200 + i));
    const sentIds = new Set(sent.map((e) => e.id));
    // The group reads the topic from the beginning: the first test's events come too.
    const received: string[] = [];
    let failed = false;
    // read before the consumer starts: the first test's events may make it crash and restart at once
    const restartsBefore = await restartsOf(groupId);
    const consumer = await consume(groupId, async (events) => {
      if (!failed) {
        failed = true;
        // What kafkajs throws when a restarted broker has no coordinator yet: non-retriable, so
        // kafkajs alone would leave the consumer stopped for good.
        throw new CoordinatorNotFound('Failed to find group coordinator');
      }
      received.push(...events.map((e) => e.id).filter((id) => sentIds.has(id)));
    });
    await producer.publish('catalog', sent, (e) => e.id);
    await eventually(() => received.length >= sent.length);
    expect([...received].sort()).toEqual(sent.map((e) => e.id).sort());
    expect(failed).toBe(true);
    // the events may all be consumed (other partitions' fetches) before the crashed consumer's restart is due
    await eventually(async () => (await restartsOf(groupId)) - restartsBefore > 0);
    await eventually(() => isReady(consumer));
  });
});
