import { CompressionTypes, Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { metrics, type Logger } from '@hop/telemetry';
import type { EventEnvelope } from './envelope';
import { TOPICS, topicName, validateEvent, type TopicKey } from './topics';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
}

const toKafkaLogLevel = (level: string) => (level === 'debug' || level === 'trace' ? logLevel.INFO : logLevel.NOTHING);

export function createKafka(settings: KafkaSettings, logger?: Logger): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: toKafkaLogLevel(logger?.level ?? 'info'),
    retry: { initialRetryTime: 200, retries: 8 },
    connectionTimeout: 3_000,
  });
}

export interface TopicSpec {
  topic: TopicKey;
  partitions?: number;
}

/** Partitions of every topic: the most consumers of one group that get work (analytics scales up to this). */
export const DEFAULT_TOPIC_PARTITIONS = 3;
/** How long a non-compacted topic keeps events: the longest a consumer (analytics, webhooks) may be down without losing any. */
export const TOPIC_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A topic's broker-side settings. Services create missing topics with them; deployments that create
 * topics ahead (deploy/k8s KafkaTopics, checked by a test) use the same values.
 */
export function topicSettings(topic: TopicKey): { name: string; partitions: number; config: Record<string, string> } {
  const { name, compacted } = TOPICS[topic];
  return {
    name,
    partitions: DEFAULT_TOPIC_PARTITIONS,
    config: compacted ? { 'cleanup.policy': 'compact' } : { 'cleanup.policy': 'delete', 'retention.ms': String(TOPIC_RETENTION_MS) },
  };
}

/** Creates the project's topics if missing (the broker runs with auto-create off). */
export async function ensureTopics(kafka: Kafka, prefix: string, specs: TopicSpec[]): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(topicName(s.topic, prefix)));
    if (missing.length) {
      // Leaders are awaited below: kafkajs's own wait gives up with UNKNOWN_TOPIC_OR_PARTITION when
      // several services create the same topics at once on a busy broker, failing their start.
      await admin
        .createTopics({
          waitForLeaders: false,
          topics: missing.map((s) => {
            const settings = topicSettings(s.topic);
            return {
              topic: topicName(s.topic, prefix),
              numPartitions: s.partitions ?? settings.partitions,
              replicationFactor: 1,
              configEntries: Object.entries(settings.config).map(([name, value]) => ({ name, value })),
            };
          }),
        })
        .catch((e: { type?: string }) => {
          if (e.type !== 'TOPIC_ALREADY_EXISTS') throw e;
        });
    }
    await waitForPartitions(admin, specs.map((s) => topicName(s.topic, prefix)));
  } finally {
    await admin.disconnect();
  }
}

/**
 * A topic created a moment ago (by us or a service starting beside us) may not have a leader yet;
 * consumers and producers started before that fail with UNKNOWN_TOPIC_OR_PARTITION. A leader named
 * in the metadata may still refuse requests for a moment (NOT_LEADER_FOR_PARTITION): the topics
 * count as ready once their offsets can be read.
 */
async function waitForPartitions(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      if (metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) {
        for (const topic of topics) await admin.fetchTopicOffsets(topic);
        return;
      }
    } catch (e) {
      if (!(e as { retriable?: boolean }).retriable || Date.now() > deadline) throw e;
    }
    if (Date.now() > deadline) throw new Error(`topics without leaders after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const kafkaReadiness = (kafka: Kafka) => async () => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
};

const published = metrics.counter('hop_events_published_total', 'Events published to Kafka', ['topic']);

/** An idempotent producer that validates every event against its topic's schema before sending. */
export class EventProducer {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(
    kafka: Kafka,
    private readonly prefix: string,
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  connect(): Promise<void> {
    return (this.connected ??= this.producer.connect().catch((e) => {
      this.connected = undefined;
      throw e;
    }));
  }

  /** Sends events in order; each keyed by `keyOf(event)`. Resolves when the broker acknowledged all. */
  async publish<K extends TopicKey>(topic: K, events: EventEnvelope[], keyOf: (e: EventEnvelope) => string): Promise<void> {
    if (!events.length) return;
    for (const e of events) validateEvent(topic, e);
    await this.connect();
    await this.sendRaw(
      topicName(topic, this.prefix),
      events.map((e) => ({ key: keyOf(e), value: JSON.stringify(e) })),
    );
  }

  /** Sends already-serialised, already-validated messages (the outbox relay and spool replay). */
  async sendRaw(topic: string, messages: { key: string; value: string }[]): Promise<void> {
    await this.connect();
    await this.producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
    published.inc({ topic }, messages.length);
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
    this.connected = undefined;
  }
}
