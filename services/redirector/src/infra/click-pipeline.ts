import type Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import { ensureTopics, topicName } from '@hop/events';
import { metrics, type Logger } from '@hop/telemetry';
import type { ClickSink } from '../app/click-recorder';
import type { RecordedClick } from '../domain/click';
import type { KafkaSender } from './kafka-sender';
import { batchEnd, type Spool, type SpooledMessage } from './spool';

export const recentClickKey = (clickId: string) => `click:${clickId}`;
const RECENT_CLICK_TTL_S = 24 * 3600;

// One command for a whole batch of recent-click records (a pipeline of SETs costs a command each).
const SET_RECENT = `
for i, key in ipairs(KEYS) do redis.call('SET', key, ARGV[i + 1], 'EX', ARGV[1]) end
return #KEYS`;
type RecentRedis = Redis & { setRecentClicks(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<number> };

const bufferDepth = metrics.gauge('hop_redirector_click_buffer_depth', 'Clicks waiting in memory for Kafka');
const spoolBytes = metrics.gauge('hop_redirector_click_spool_bytes', 'Bytes of clicks spooled on local disk');
const publishErrors = metrics.counter('hop_redirector_click_publish_errors_total', 'Failed or stalled click publishes to Kafka');
const published = metrics.counter('hop_redirector_clicks_published_total', 'Click events acknowledged by Kafka');
const recorded = metrics.counter('hop_redirector_clicks_recorded_total', 'Clicks recorded (counted)');
const spilled = metrics.counter('hop_redirector_clicks_spooled_total', 'Clicks written to the spool file (Kafka unreachable or behind)');
const recentErrors = metrics.counter('hop_redirector_recent_click_errors_total', 'Recent-click records not written to Redis');

export interface ClickPipelineOptions {
  /** For creating the topic. */
  kafka: Kafka;
  /** Sends the batches (an idempotent producer on its own thread). */
  sender: KafkaSender;
  topicPrefix: string;
  /** Writes the short-lived `click:<clickId>` records. */
  redis: Redis;
  spool: Spool;
  batchSize: number;
  lingerMs: number;
  /** Clicks kept in memory before spilling to the spool. */
  bufferMax: number;
  /** How long a send may take before it counts as a publish error (it keeps going). */
  stallMs?: number;
  logger: Logger;
}

/** The `click.recorded` envelope for a click (event id = click id, so a replay is recognisable). */
export function clickEvent(click: RecordedClick) {
  return { id: click.clickId, type: 'click.recorded' as const, occurredAt: click.timestamp, workspaceId: click.workspaceId, data: click };
}

/**
 * Publishes clicks to clicks.v1 off the request path, in batches (size `batchSize` or after
 * `lingerMs`), one batch in flight, through an idempotent producer that retries until the broker
 * acknowledges — so a batch is never sent twice under different sequence numbers.
 *
 * Nothing is lost: while Kafka is unreachable clicks wait in memory up to `bufferMax`, then spill
 * to the append-only spool on disk; once Kafka answers, the spool is replayed oldest first and
 * removed, and only then do newer in-memory clicks follow (everything spooled is older than
 * everything in memory). `stop()` sends what it can before its deadline and spools the rest, which
 * the next process replays.
 */
export class ClickPipeline implements ClickSink {
  private readonly topic: string;
  private memory: SpooledMessage[] = [];
  private recent: [string, string][] = [];
  /** The batch being sent, when it came from memory (a spooled batch stays in its segment until sent). */
  private inFlight: SpooledMessage[] | null = null;
  /** True while the spool holds clicks not yet in Kafka: memory waits behind it. */
  private spooling = false;
  private loop?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private topicsReady = false;
  private stopped = false;
  /** Set once stop() spooled what was left: late outcomes of abandoned sends change nothing. */
  private closed = false;

  constructor(private readonly options: ClickPipelineOptions) {
    this.topic = topicName('clicks', options.topicPrefix);
    if (!('setRecentClicks' in options.redis)) options.redis.defineCommand('setRecentClicks', { lua: SET_RECENT });
  }

  /** Adopts clicks spooled by a previous process and starts sending. */
  start(): void {
    this.options.spool.adoptOrphans();
    this.spooling = !this.options.spool.isEmpty;
    this.updateGauges();
    this.kick();
  }

  publish(click: RecordedClick): void {
    const event = clickEvent(click);
    this.memory.push({ key: click.linkId, value: JSON.stringify(event) });
    this.recent.push([
      recentClickKey(click.clickId),
      JSON.stringify({
        clickId: click.clickId,
        linkId: click.linkId,
        workspaceId: click.workspaceId,
        partnerId: click.partnerId,
        shortId: click.shortId,
        tenantId: click.tenantId,
        externalId: click.externalId,
        timestamp: click.timestamp,
      }),
    ]);
    recorded.inc();
    // After stop() (a request that outlived the shutdown's grace period) or past the bound: to disk.
    if (this.closed || this.memory.length >= this.options.bufferMax) this.spill();
    this.schedule();
  }

  /** Clicks not yet acknowledged by Kafka (memory, in flight, spooled bytes). For tests and readiness. */
  backlog() {
    return { memory: this.memory.length + (this.inFlight?.length ?? 0), spoolBytes: this.options.spool.size, spooling: this.spooling };
  }

  /** Resolves once everything recorded so far was acknowledged by Kafka. */
  async flush(): Promise<void> {
    while (!this.closed && (this.memory.length || this.inFlight || this.spooling || this.recent.length)) {
      this.kick();
      await (this.loop ?? new Promise((r) => setTimeout(r, 20)));
    }
  }

  /**
   * Sends what it can within `timeoutMs`, then spools whatever is left (including a batch whose
   * send did not finish: if it did reach Kafka, analytics drops the replayed copy by click id).
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const drained = (async () => {
      while (!this.closed && (this.memory.length || this.inFlight || this.spooling)) {
        const failuresBefore = this.failures;
        this.kick();
        if (!this.loop) return;
        await this.loop;
        if (this.failures > failuresBefore) return; // Kafka refused: spool the rest now
      }
    })();
    const outcome = await Promise.race([drained, deadline]);
    clearTimeout(timer);
    this.closed = true;
    const left = (this.inFlight?.length ?? 0) + this.memory.length;
    if (left) {
      // The unfinished batch is older than anything spooled meanwhile: it goes first.
      if (this.inFlight) this.options.spool.prepend(this.inFlight);
      this.options.spool.append(this.memory);
      spilled.inc(left);
      this.options.logger.warn({ clicks: left, dir: this.options.spool.dir }, 'Kafka not reachable at shutdown: clicks spooled for the next start');
    }
    this.memory = [];
    this.inFlight = null;
    this.options.spool.close();
    this.updateGauges();
    await this.writeRecent();
    await this.options.sender.close(outcome === 'timeout' ? 0 : 2_000);
  }

  private spill(): void {
    if (!this.memory.length) return;
    this.options.spool.append(this.memory);
    spilled.inc(this.memory.length);
    this.memory = [];
    this.spooling = true;
    this.updateGauges();
  }

  private schedule(): void {
    if (this.loop || this.retryTimer || this.stopped) return;
    if (this.memory.length >= this.options.batchSize) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.options.lingerMs);
  }

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.loop || this.closed) return;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      if (this.memory.length && !this.stopped && !this.retryTimer) this.schedule();
    });
  }

  private async run(): Promise<void> {
    try {
      void this.writeRecent();
      if (!this.topicsReady) {
        await ensureTopics(this.options.kafka, this.options.topicPrefix, [{ topic: 'clicks' }]);
        this.topicsReady = true;
      }
      for (;;) {
        if (this.spooling) {
          await this.options.spool.replay((batch) => this.send(batch), this.options.batchSize);
          // Replay emptied the closed segments; close the open one and go again, or leave spool mode.
          this.options.spool.rotate();
          if (this.options.spool.pendingSegments) continue;
          this.spooling = false;
          this.options.logger.info('spooled clicks replayed to Kafka');
          continue;
        }
        if (!this.memory.length) break;
        const batch = this.memory.splice(0, batchEnd(this.memory, 0, this.options.batchSize));
        this.inFlight = batch;
        try {
          await this.send(batch);
        } catch (err) {
          if (!this.closed) {
            // Keep the batch ahead of everything newer: at the front of memory, or of the spool.
            if (this.spooling) this.options.spool.prepend(batch);
            else this.memory.unshift(...batch);
          }
          throw err;
        } finally {
          this.inFlight = null;
        }
        void this.writeRecent();
      }
      this.failures = 0;
    } catch (err) {
      if (this.closed) return;
      this.failures++;
      publishErrors.inc();
      const delay = Math.min(5_000, 100 * 2 ** Math.min(this.failures, 6));
      this.options.logger.warn({ err: (err as Error).message, retryInMs: delay }, 'click publish failed');
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.kick();
      }, delay);
    } finally {
      this.updateGauges();
    }
  }

  private async send(batch: SpooledMessage[]): Promise<void> {
    // A stalled send (broker gone) keeps retrying inside the producer; it is reported, not abandoned.
    const stall = setTimeout(() => {
      publishErrors.inc();
      this.options.logger.warn({ clicks: batch.length }, 'Kafka not acknowledging clicks; buffering');
    }, this.options.stallMs ?? 5_000);
    try {
      await this.options.sender.send(this.topic, batch);
      published.inc(batch.length);
    } finally {
      clearTimeout(stall);
      this.updateGauges();
    }
  }

  /** Writes the pending `click:<clickId>` records in one pipeline; a cache, so failures only count. */
  private async writeRecent(): Promise<void> {
    if (!this.recent.length) return;
    const records = this.recent;
    this.recent = [];
    const args: (string | number)[] = new Array(records.length * 2 + 1);
    args[records.length] = RECENT_CLICK_TTL_S;
    records.forEach(([key, value], i) => {
      args[i] = key;
      args[records.length + 1 + i] = value;
    });
    try {
      await (this.options.redis as RecentRedis).setRecentClicks(records.length, ...args);
    } catch {
      recentErrors.inc(records.length);
    }
  }

  private updateGauges(): void {
    bufferDepth.set(this.memory.length + (this.inFlight?.length ?? 0));
    spoolBytes.set(this.options.spool.size);
  }
}
