import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { metrics, type Logger } from '@hop/telemetry';
import { topicName, validateEvent, type TopicEvent, type TopicKey } from './topics';

const consumed = metrics.counter('hop_events_consumed_total', 'Events consumed from Kafka', ['topic', 'group']);
const rejected = metrics.counter('hop_events_rejected_total', 'Events that failed their schema on consume', ['topic', 'group']);
const restarts = metrics.counter(
  'hop_kafka_consumer_restarts_total',
  'Kafka consumers recreated after a crash (one per attempt while the broker is away)',
  ['topic', 'group'],
);

export interface ConsumerOptions<K extends TopicKey> {
  kafka: Kafka;
  groupId: string;
  topic: K;
  prefix: string;
  logger: Logger;
  fromBeginning?: boolean;
  /**
   * Processes a batch of valid events of one partition. Offsets are committed only after it
   * resolves; if it throws, the batch is delivered again, so it must be idempotent on event id.
   */
  handle: (events: TopicEvent<K>[], meta: { partition: number }) => Promise<void>;
  /** Delays between restarts after a crash (default RESTART_BACKOFF). */
  backoff?: Backoff;
  /**
   * The broker answers a fetch once this many bytes are there, or after 100 ms (default 1: at
   * once). For a consumer whose per-batch cost (statements, offset commit, requests) dwarfs its
   * per-event cost: under a steady trickle, batches of 100 ms instead of a few events each.
   */
  minBytes?: number;
}

export interface RunningConsumer {
  /** Readiness: rejects until the consumer has joined its group, and from a crash until it has joined again. */
  check(): Promise<void>;
  stop(): Promise<void>;
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** Capped at 30 s: a consumer waits at most that long after the broker is back. */
export const RESTART_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000 };

/**
 * Delay before restart attempt `attempt` (0 for the first after a crash): doubling up to the cap,
 * half of it random so that the instances of a group, crashed by the same broker restart, do not
 * all rejoin at once (each join rebalances the whole group).
 */
export function restartDelay(attempt: number, backoff: Backoff = RESTART_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + (random() * ceiling) / 2;
}

/** Readiness of several consumers: rejects while one of them is missing (not started) or not joined. */
export async function checkConsumers(consumers: (RunningConsumer | undefined)[]): Promise<void> {
  const running = consumers.filter((c): c is RunningConsumer => c !== undefined);
  if (running.length < consumers.length) throw new Error('consumers not started');
  await Promise.all(running.map((c) => c.check()));
}

function parse<K extends TopicKey>(topic: K, message: KafkaMessage): TopicEvent<K> | Error {
  try {
    return validateEvent(topic, JSON.parse(message.value?.toString() ?? 'null'));
  } catch (e) {
    return e as Error;
  }
}

/**
 * Owns the kafkajs consumer of one group and topic. kafkajs restarts a crashed consumer only for
 * errors it deems retriable; others (e.g. "Failed to find group coordinator" while a restarted
 * broker loads its group metadata) leave it stopped for good. So kafkajs never restarts here: on
 * every crash the consumer is dropped and a new one created after a backoff, until one joins.
 * Offsets are committed only after `handle`, so a restart redelivers at most the batch in flight.
 */
class SupervisedConsumer<K extends TopicKey> implements RunningConsumer {
  private readonly name: string;
  private current?: Consumer;
  private launching?: Promise<void>;
  private joined = false;
  private crash?: string;
  private attempt = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: ConsumerOptions<K>) {
    this.name = topicName(options.topic, options.prefix);
  }

  /** Creates, subscribes and runs a new kafkajs consumer; rejects if it cannot connect or subscribe. */
  launch(): Promise<void> {
    const launching = this.create().finally(() => {
      if (this.launching === launching) this.launching = undefined;
    });
    this.launching = launching;
    return launching;
  }

  private async create(): Promise<void> {
    const { kafka, groupId, topic, logger, handle } = this.options;
    const name = this.name;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 100,
      minBytes: this.options.minBytes ?? 1,
      retry: { initialRetryTime: 300, retries: 1_000_000, restartOnFailure: () => Promise.resolve(false) },
    });
    this.current = consumer;
    this.joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (this.current !== consumer) return;
      if (this.crash) logger.info({ topic: name, groupId }, 'consumer rejoined its group after a crash');
      this.joined = true;
      this.crash = undefined;
      this.attempt = 0;
    });
    // kafkajs has disconnected the consumer before it reports the crash.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.current === consumer) this.restartLater(payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: name, fromBeginning: this.options.fromBeginning ?? true });
      // Resolves once the group is joined, or after a crash while joining (reported above).
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async (payload: EachBatchPayload) => {
          const { batch } = payload;
          if (!batch.messages.length || payload.isStale()) return;
          const events: TopicEvent<K>[] = [];
          for (const message of batch.messages) {
            const event = parse(topic, message);
            if (event instanceof Error) {
              // A poison message must not block the partition: count it, log it, move past it.
              rejected.inc({ topic: name, group: groupId });
              logger.error({ topic: name, offset: message.offset, err: event.message }, 'skipping invalid event');
            } else events.push(event);
          }
          if (events.length) await handle(events, { partition: batch.partition });
          consumed.inc({ topic: name, group: groupId }, events.length);
          payload.resolveOffset(batch.lastOffset());
          await consumer.commitOffsets([{ topic: name, partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() }]);
          await payload.heartbeat();
        },
      });
    } catch (err) {
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  private restartLater(error: Error | undefined): void {
    if (this.stopped) return;
    const { groupId, logger } = this.options;
    this.joined = false;
    this.crash = error?.message ?? 'consumer stopped';
    const delayMs = Math.round(restartDelay(this.attempt++, this.options.backoff));
    logger.error({ topic: this.name, groupId, err: this.crash, delayMs }, 'consumer crashed; recreating it');
    // One restart at a time, even if a consumer both reported a crash and failed its start.
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.restart(), delayMs);
    this.timer.unref();
  }

  private async restart(): Promise<void> {
    if (this.stopped) return;
    await this.current?.disconnect().catch(() => undefined);
    if (this.stopped) return;
    restarts.inc({ topic: this.name, group: this.options.groupId });
    try {
      await this.launch();
    } catch (err) {
      this.restartLater(err as Error);
    }
  }

  check(): Promise<void> {
    if (this.joined) return Promise.resolve();
    const state = this.crash ? `restarting after a crash (${this.crash})` : 'has not joined its group yet';
    return Promise.reject(new Error(`consumer of ${this.name} (group ${this.options.groupId}) ${state}`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.launching?.catch(() => undefined);
    this.joined = false;
    await this.current?.disconnect().catch(() => undefined);
  }
}

/**
 * Runs a consumer group on one topic; commits a batch's offsets only after `handle` succeeded, and
 * recreates the consumer after any crash (see SupervisedConsumer). Rejects if the first consumer
 * cannot connect or subscribe (a service then fails its start).
 */
export async function runConsumer<K extends TopicKey>(options: ConsumerOptions<K>): Promise<RunningConsumer> {
  const supervised = new SupervisedConsumer(options);
  await supervised.launch();
  return supervised;
}
