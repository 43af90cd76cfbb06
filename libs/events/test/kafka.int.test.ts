import { createLogger } from '@hop/telemetry';
import { TestInfra, eventually } from '@hop/testing';
import { ConfigResourceTypes } from 'kafkajs';
import { EventProducer, ensureTopics, newEvent, runConsumer, topicName, topicSettings, type EventEnvelope, type RunningConsumer, type TopicKey } from '../src';

const logger = createLogger('test', 'silent');
const tagDeleted = (tagId: string) => newEvent('tag.deleted', '00000000-0000-4000-8000-000000000001', { tagId });

describe('Kafka round trip through @hop/events (real broker)', () => {
  const infra = new TestInfra();
  const kafka = infra.kafka();
  const producer = new EventProducer(kafka, infra.topicPrefix);
  const consumers: RunningConsumer[] = [];
  const groupOffset = async (groupId: string) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [topic] = await admin.fetchOffsets({ groupId, topics: [topicName('catalog', infra.topicPrefix)] });
      return topic.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    } finally {
      await admin.disconnect();
    }
  };

  const consume = (groupId: string, handle: (events: EventEnvelope[]) => Promise<void>) =>
    runConsumer({ kafka, groupId, topic: 'catalog', prefix: infra.topicPrefix, logger, handle });

  beforeAll(() => ensureTopics(kafka, infra.topicPrefix, [{ topic: 'catalog', partitions: 1 }]));
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await producer.disconnect();
    await infra.cleanup();
  });

  it('creates missing topics with the partitions and settings topicSettings declares (what deploy/k8s KafkaTopics copy)', async () => {
    await ensureTopics(kafka, infra.topicPrefix, [{ topic: 'links' }, { topic: 'clicks' }]);
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const key of ['links', 'clicks'] as const) {
        const name = topicName(key, infra.topicPrefix);
        const settings = topicSettings(key);
        const { topics } = await admin.fetchTopicMetadata({ topics: [name] });
        expect(topics[0].partitions).toHaveLength(settings.partitions);
        const described = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames: Object.keys(settings.config) }],
        });
        const entries = Object.fromEntries(described.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
        expect(entries).toEqual(settings.config);
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('lets many processes ensure the same new topics at once (services starting side by side)', async () => {
    const prefix = `${infra.topicPrefix}side-by-side.`;
    const names: TopicKey[] = ['links', 'clicks', 'catalog'];
    const clients = Array.from({ length: 6 }, () => infra.kafka());
    await Promise.all(clients.map((client) => ensureTopics(client, prefix, names.map((topic) => ({ topic })))));
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names.map((topic) => topicName(topic, prefix)) });
      expect(topics.map((t) => t.partitions.every((p) => p.leader >= 0))).toEqual([true, true, true]);
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses to produce an event that breaks its topic schema', async () => {
    await expect(producer.publish('catalog', [newEvent('tag.deleted', 'w', { tagId: 'not-a-uuid' })], () => 'k')).rejects.toThrow(/tagId/);
  });

  it('delivers produced events and commits the offset only after processing', async () => {
    const groupId = `${infra.id}-roundtrip`;
    const sent = [tagDeleted('00000000-0000-4000-8000-00000000000a'), tagDeleted('00000000-0000-4000-8000-00000000000b')];
    let release!: () => void;
    const processing = new Promise<void>((r) => (release = r));
    const received: EventEnvelope[] = [];
    consumers.push(
      await consume(groupId, async (events) => {
        received.push(...events);
        await processing;
      }),
    );
    await producer.publish('catalog', sent, (e) => (e.data as { tagId: string }).tagId);
    await eventually(() => received.length === 2);
    expect(received.map((e) => e.id)).toEqual(sent.map((e) => e.id));
    expect(await groupOffset(groupId)).toBe(0); // still processing: nothing committed
    release();
    await eventually(async () => (await groupOffset(groupId)) === 2);
  });

  it('redelivers a batch to the group when the consumer crashed before finishing it', async () => {
    const groupId = `${infra.id}-crash`;
    const first: string[] = [];
    const crashing = await consume(groupId, async (events) => {
      first.push(...events.map((e) => e.id));
      throw new Error('crash before the batch was durable');
    });
    await eventually(() => first.length >= 2);
    await crashing.stop();

    const second: string[] = [];
    consumers.push(
      await consume(groupId, async (events) => {
        second.push(...events.map((e) => e.id));
      }),
    );
    await eventually(() => second.length >= 2);
    expect(second.slice(0, 2)).toEqual(first.slice(0, 2));
  });
});
