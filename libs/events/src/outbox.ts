import { Column, Entity, Index, PrimaryGeneratedColumn, type DataSource, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import { queryRows } from '@hop/db';
import { metrics, type Logger } from '@hop/telemetry';
import type { EventEnvelope } from './envelope';
import type { EventProducer } from './kafka';
import { topicName, validateEvent, type TopicKey } from './topics';

/** An event waiting to be published; written in the same transaction as the state change. */
@Entity({ name: 'outbox' })
@Index('outbox_unpublished', ['seq'], { where: 'published_at IS NULL' })
export class OutboxRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'uuid', unique: true, name: 'event_id' })
  eventId: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ type: 'text', name: 'message_key' })
  key: string;

  @Column({ type: 'jsonb' })
  payload: EventEnvelope;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'published_at', nullable: true })
  publishedAt: Date | null;
}

/** Events a consumer already applied, for idempotency on event id. */
@Entity({ name: 'processed_events' })
export class ProcessedEvent {
  @Column({ type: 'text', primary: true })
  consumer: string;

  @Column({ type: 'text', primary: true, name: 'event_id' })
  eventId: string;

  @Column({ type: 'timestamptz', name: 'processed_at', default: () => 'now()' })
  processedAt: Date;
}

export const OUTBOX_ENTITIES = [OutboxRecord, ProcessedEvent];

export class CreateOutbox1700000000000 implements MigrationInterface {
  name = 'CreateOutbox1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS outbox (
      seq bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      topic text NOT NULL,
      message_key text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz NULL)`);
    await q.query(`CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (seq) WHERE published_at IS NULL`);
    await q.query(`CREATE TABLE IF NOT EXISTS processed_events (
      consumer text NOT NULL,
      event_id text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS processed_events');
    await q.query('DROP TABLE IF EXISTS outbox');
  }
}

/**
 * Writes events to the outbox inside the caller's transaction; they are validated now so an
 * invalid event fails the state change instead of the relay.
 */
export async function enqueueEvents<K extends TopicKey, E extends EventEnvelope>(
  manager: EntityManager,
  topic: K,
  events: E[],
  keyOf: (e: E) => string,
): Promise<void> {
  if (!events.length) return;
  for (const e of events) validateEvent(topic, e);
  // One statement and one JSON parameter for any batch size: no bind-parameter limit, and the
  // driver sends a single string instead of escaping thousands of array elements.
  await manager.query(
    `INSERT INTO outbox (event_id, topic, message_key, payload)
     SELECT (e.value->>'id')::uuid, $1, k.key, e.value
     FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(value, n)
     JOIN unnest($3::text[]) WITH ORDINALITY AS k(key, n) USING (n)
     ORDER BY n`,
    [topic, JSON.stringify(events), events.map(keyOf)],
  );
}

/**
 * Returns which of `eventIds` this consumer has not processed yet and records them as processed,
 * in the caller's transaction: commit the effects and the marks together.
 */
export async function claimUnprocessed(manager: EntityManager, consumer: string, eventIds: string[]): Promise<Set<string>> {
  if (!eventIds.length) return new Set();
  const rows: { event_id: string }[] = await manager.query(
    `INSERT INTO processed_events (consumer, event_id)
     SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, eventIds],
  );
  return new Set(rows.map((r) => r.event_id));
}

const relayLag = metrics.gauge('hop_outbox_pending', 'Outbox events not yet published', ['service']);
const relayFailures = metrics.counter('hop_outbox_publish_failures_total', 'Failed outbox publish attempts', ['service']);

export interface OutboxRelayOptions {
  dataSource: DataSource;
  producer: EventProducer;
  topicPrefix: string;
  service: string;
  logger: Logger;
  pollIntervalMs?: number;
  batchSize?: number;
}

/** Arbitrary constant: only one relay per database publishes at a time, which keeps the order. */
const RELAY_LOCK = 0x6f7574;

/**
 * Publishes committed outbox events in order, marking them published only after Kafka
 * acknowledged; on failure it retries with backoff. At-least-once: consumers dedupe on id.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private failures = 0;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Asks for an immediate publish pass (call after committing events). */
  wake(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Publishes until the outbox is empty; returns the number published. For shutdown and tests. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n === 0) return total;
    }
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
    }, delay);
  }

  private async pass(): Promise<void> {
    let delay = this.options.pollIntervalMs ?? 250;
    try {
      const published = await this.publishBatch();
      this.failures = 0;
      if (published > 0) delay = 0;
    } catch (err) {
      this.failures++;
      relayFailures.inc({ service: this.options.service });
      delay = Math.min(30_000, 200 * 2 ** Math.min(this.failures, 8));
      this.options.logger.warn({ err: (err as Error).message, retryInMs: delay }, 'outbox publish failed');
    }
    if (!this.stopped) this.schedule(delay);
  }

  private async publishBatch(): Promise<number> {
    const { dataSource, producer, topicPrefix } = this.options;
    return dataSource.transaction(async (manager) => {
      const [{ locked }] = await queryRows<{ locked: boolean }>(manager, 'SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK]);
      if (!locked) return 0;
      const rows: OutboxRecord[] = await manager
        .getRepository(OutboxRecord)
        .createQueryBuilder('o')
        .where('o.published_at IS NULL')
        .orderBy('o.seq', 'ASC')
        .limit(this.options.batchSize ?? 1_000)
        .getMany();
      if (!rows.length) {
        relayLag.set({ service: this.options.service }, 0);
        return 0;
      }
      // Consecutive runs per topic keep the global order within each topic.
      for (let start = 0; start < rows.length; ) {
        let end = start;
        while (end < rows.length && rows[end].topic === rows[start].topic) end++;
        const run = rows.slice(start, end);
        await producer.sendRaw(
          topicName(run[0].topic as TopicKey, topicPrefix),
          run.map((r) => ({ key: r.key, value: JSON.stringify(r.payload) })),
        );
        start = end;
      }
      await manager.query('UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
      relayLag.set({ service: this.options.service }, rows.length);
      return rows.length;
    });
  }

  /** Removes published events older than `olderThanMs` (they live on in Kafka). */
  async prune(olderThanMs = 24 * 3600_000): Promise<void> {
    await this.options.dataSource.query(
      `DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < now() - ($1 || ' milliseconds')::interval`,
      [String(olderThanMs)],
    );
  }
}
