import type { Kafka } from 'kafkajs';
import { ensureTopics, topicName } from '@hop/events';
import { metrics, type Logger } from '@hop/telemetry';
import type { ClickSink } from '../app/ports';
import type { RecordedClick } from '../domain/click';
import { clickMessages, fromWire, toWire, type ClickEventCheck, type WireClick } from './click-message';
import { reportRejectedClick, type KafkaSender } from './kafka-sender';
import type { Segment, Spool } from './spool';

const bufferDepth = metrics.gauge('hop_redirector_click_buffer_depth', 'Clicks waiting in memory for Kafka');
const spoolBytes = metrics.gauge('hop_redirector_click_spool_bytes', 'Bytes of clicks spooled on local disk');
const publishErrors = metrics.counter('hop_redirector_click_publish_errors_total', 'Failed or stalled click publishes to Kafka');
const published = metrics.counter('hop_redirector_clicks_published_total', 'Click events acknowledged by Kafka');
const recorded = metrics.counter('hop_redirector_clicks_recorded_total', 'Clicks recorded (counted)');
const spilled = metrics.counter('hop_redirector_clicks_spooled_total', 'Clicks written to the spool file (Kafka unreachable or behind)');

export interface ClickPipelineOptions {
  /** For creating the topic. */
  kafka: Kafka;
  /** Sends the batches (an idempotent producer on its own thread) and writes the recent-click records. */
  sender: KafkaSender;
  topicPrefix: string;
  spool: Spool;
  batchSize: number;
  lingerMs: number;
  /** Clicks kept in memory before spilling to the spool. */
  bufferMax: number;
  /** How long a send may take before it counts as a publish error (it keeps going). */
  stallMs?: number;
  /** Which clicks of a batch are checked against the clicks.v1 contract (default: every one). */
  eventCheck?: ClickEventCheck;
  logger: Logger;
}

/**
 * Publishes clicks to clicks.v1 off the request path, in batches (size `batchSize` or after
 * `lingerMs`), one batch in flight, through an idempotent producer that retries until the broker
 * acknowledges — so a batch is never sent twice under different sequence numbers. A click's
 * short-lived `click:<clickId>` Redis record rides with the first batch that leaves after it, or
 * is written on its own when no batch can leave (Kafka unreachable, clicks spooled).
 *
 * Nothing is lost: while Kafka is unreachable clicks wait in memory up to `bufferMax`, then spill
 * to the append-only spool on disk; once Kafka answers, the spool is replayed oldest first and
 * removed, and only then do newer in-memory clicks follow (everything spooled is older than
 * everything in memory). `stop()` sends what it can before its deadline and spools the rest, which
 * the next process replays.
 */
export class ClickPipeline implements ClickSink {
  private readonly topic: string;
  /** Clicks in their wire form (see click-message.ts), oldest first. */
  private memory: WireClick[] = [];
  /** Clicks whose recent-click records were not handed to the sender yet (the same arrays). */
  private recent: WireClick[] = [];
  /** The batch being sent, when it came from memory (a spooled batch stays in its segment until sent). */
  private inFlight: WireClick[] | null = null;
  /** True while the spool holds clicks not yet in Kafka: memory waits behind it. */
  private spooling = false;
  /**
   * Kafka is not acknowledging (the last send failed, or the current one stalled): memory is
   * written to the spool every `lingerMs` instead of at `bufferMax`, so a crash (kill -9) loses
   * at most the clicks of the last linger window.
   */
  private unreachable = false;
  private spillTimer?: NodeJS.Timeout;
  /**
   * The spool's copy of the batch in flight, written when its send stalled: replayed if the send
   * fails, discarded if it succeeds.
   */
  private inFlightCopy?: Segment;
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
  }

  /** Adopts clicks spooled by a previous process and starts sending. */
  start(): void {
    this.options.sender.start();
    this.options.spool.adoptOrphans();
    this.spooling = !this.options.spool.isEmpty;
    this.updateGauges();
    this.kick();
  }

  /** On the request path: no serialisation here (the sender's thread does it). */
  publish(click: RecordedClick): void {
    const wire = toWire(click);
    this.memory.push(wire);
    this.recent.push(wire);
    recorded.inc();
    // After stop() (a request that outlived the shutdown's grace period) or past the bound: to disk.
    if (this.closed || this.memory.length >= this.options.bufferMax) this.spill();
    else if (this.unreachable) this.spillTimer ??= setTimeout(() => this.spill(), this.options.lingerMs);
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
    clearTimeout(this.spillTimer);
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
    const inFlight = this.inFlightCopy ? null : this.inFlight;
    const left = (inFlight?.length ?? 0) + this.memory.length;
    if (left) {
      // The unfinished batch is older than anything spooled meanwhile: it goes first.
      if (inFlight) this.options.spool.prepend(this.spooled(inFlight));
      this.options.spool.append(this.spooled(this.memory));
      spilled.inc(left);
      this.options.logger.warn({ clicks: left, dir: this.options.spool.dir }, 'Kafka not reachable at shutdown: clicks spooled for the next start');
    }
    this.memory = [];
    this.inFlight = null;
    this.options.spool.close();
    this.updateGauges();
    await this.rememberPending();
    await this.options.sender.close(outcome === 'timeout' ? 0 : 2_000);
  }

  private spill(): void {
    clearTimeout(this.spillTimer);
    this.spillTimer = undefined;
    if (!this.memory.length) return;
    void this.rememberPending();
    this.options.spool.append(this.spooled(this.memory));
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
      // No batch is about to leave: the records do not wait for Kafka.
      if (!this.topicsReady || this.spooling || this.failures) void this.rememberPending();
      if (!this.topicsReady) {
        await ensureTopics(this.options.kafka, this.options.topicPrefix, [{ topic: 'clicks' }]);
        this.topicsReady = true;
      }
      for (;;) {
        if (this.spooling) {
          await this.options.spool.replay((batch) => this.send((recent) => this.options.sender.sendSpooled(this.topic, batch, recent), batch.length), this.options.batchSize);
          // Replay emptied the closed segments; close the open one and go again, or leave spool mode.
          this.options.spool.rotate();
          if (this.options.spool.pendingSegments) continue;
          this.spooling = false;
          this.options.logger.info('spooled clicks replayed to Kafka');
          continue;
        }
        if (!this.memory.length) break;
        const batch = this.memory.splice(0, this.options.batchSize);
        this.inFlight = batch;
        try {
          await this.send((recent) => this.options.sender.sendClicks(this.topic, batch, recent), batch.length);
        } catch (err) {
          if (!this.closed && !this.inFlightCopy) {
            // Keep the batch ahead of everything newer: at the front of memory, or of the spool.
            if (this.spooling) this.options.spool.prepend(this.spooled(batch));
            else this.memory.unshift(...batch);
          }
          throw err;
        } finally {
          this.inFlight = null;
          this.inFlightCopy = undefined;
        }
      }
      await this.rememberPending();
      this.failures = 0;
    } catch (err) {
      if (this.closed) return;
      this.failures++;
      publishErrors.inc();
      this.unreachable = true;
      this.spill();
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

  /** Runs one send of `clicks` messages, handing it the pending recent-click records. */
  private async send(sendBatch: (recent: WireClick[]) => Promise<void>, clicks: number): Promise<void> {
    // A stalled send (broker gone) keeps retrying inside the producer; it is reported, not abandoned.
    const stall = setTimeout(() => {
      publishErrors.inc();
      if (this.closed) return; // stop() spooled everything already
      this.unreachable = true;
      // A batch from memory goes to disk as well (discarded if its send completes after all); a
      // batch from the spool is there already.
      if (this.inFlight && !this.inFlightCopy) {
        this.inFlightCopy = this.options.spool.prepend(this.spooled(this.inFlight));
        spilled.inc(this.inFlight.length);
        this.spooling = true;
      }
      this.spill();
      this.options.logger.warn({ clicks }, 'Kafka not acknowledging clicks; spooling');
    }, this.options.stallMs ?? 5_000);
    try {
      await sendBatch(this.takeRecent());
      published.inc(clicks);
      this.unreachable = false;
      if (this.inFlightCopy && !this.closed) this.options.spool.discard(this.inFlightCopy);
    } finally {
      clearTimeout(stall);
      this.updateGauges();
    }
  }

  private takeRecent(): WireClick[] {
    const recent = this.recent;
    this.recent = [];
    return recent;
  }

  /** Hands the pending recent-click records to the sender on their own; a cache, so failures only count. */
  private async rememberPending(): Promise<void> {
    await this.options.sender.remember(this.takeRecent()).catch(() => undefined);
  }

  /** Clicks as the spool keeps them (the sender's thread serialises the others). */
  private spooled(wires: WireClick[]) {
    return clickMessages(wires.map(fromWire), (click, err) => reportRejectedClick(this.options.logger, { clickId: click.clickId, error: err.message }), this.options.eventCheck);
  }

  private updateGauges(): void {
    bufferDepth.set(this.memory.length + (this.inFlight?.length ?? 0));
    spoolBytes.set(this.options.spool.size);
  }
}
