import { Worker } from 'node:worker_threads';
import { workerScript } from '@hop/runtime';
import { metrics, type Logger } from '@hop/telemetry';
import type { ClickEventCheck, WireClick } from './click-message';
import type { SpooledMessage } from './spool';

const recentErrors = metrics.counter('hop_redirector_recent_click_errors_total', 'Recent-click records not written to Redis');
const rejectedClicks = metrics.counter('hop_redirector_clicks_rejected_total', 'Clicks not sent because their event broke the clicks.v1 contract');

/** Counts and logs a click left out because its event broke the contract (a bug in the redirector: never expected). */
export function reportRejectedClick(logger: Logger, rejected: { clickId: string; error: string }): void {
  rejectedClicks.inc();
  logger.error(rejected, 'click not sent: its event breaks the clicks.v1 contract');
}

/** What the worker thread gets at start. */
export interface SenderWorkerData {
  brokers: string[];
  clientId: string;
  eventCheck: ClickEventCheck;
  redis?: { url: string; keyPrefix: string };
}

/** A request to the worker thread (see kafka-sender.worker.ts). */
export interface SenderRequest {
  op: 'send' | 'remember' | 'close';
  id: number;
  topic?: string;
  clicks?: WireClick[];
  payload?: string;
  recent?: WireClick[];
}

/** A reply of the worker thread: the outcome of a request, or a count or rejection to report. */
export type SenderReply = { id: number; error?: string } | { recentErrors: number } | { rejected: { clickId: string; error: string } };

/** The worker's compiled script (from dist/ under tests too: the package must be built). */
const WORKER_SCRIPT = workerScript(__filename, 'kafka-sender.worker.js');

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface KafkaSenderOptions {
  brokers: string[];
  clientId: string;
  /** Which clicks of a batch are checked against the clicks.v1 contract (default: every one). */
  eventCheck?: ClickEventCheck;
  /** The Redis the `click:<clickId>` records go to; none are written without it. */
  recentClicks?: { url: string; keyPrefix: string };
  logger: Logger;
}

/**
 * Sends batches of clicks to Kafka from a worker thread (kafka-sender.worker.ts) holding an
 * idempotent producer, and writes their recent-click records to Redis from there: the request
 * thread only posts the clicks' field values (a structured clone costs a fraction of serialising).
 * One send resolves when the broker acknowledged the whole batch; the producer retries until it does.
 */
export class KafkaSender {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly options: KafkaSenderOptions) {}

  /**
   * Sends fresh clicks (in their wire form, see click-message.ts), and writes the recent-click
   * records of `recent` whatever Kafka does.
   */
  sendClicks(topic: string, clicks: WireClick[], recent: WireClick[]): Promise<void> {
    // The same arrays in both lists are cloned once (structured clone keeps references).
    return this.call({ op: 'send', topic, clicks, recent });
  }

  /** Sends messages replayed from the spool (already serialised), and the records of `recent`. */
  sendSpooled(topic: string, messages: SpooledMessage[], recent: WireClick[]): Promise<void> {
    let payload = '';
    for (const m of messages) payload += `${m.key}\t${m.value}\n`;
    return this.call({ op: 'send', topic, payload, recent });
  }

  /** Writes recent-click records only (clicks going to the spool instead of Kafka). */
  remember(recent: WireClick[]): Promise<void> {
    return recent.length ? this.call({ op: 'remember', recent }) : Promise.resolve();
  }

  /** Disconnects the producer (waiting at most `timeoutMs`), then ends the thread; unfinished sends reject. */
  async close(timeoutMs: number): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.call({ op: 'close' }).catch(() => undefined), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    await worker.terminate();
  }

  private call(message: Omit<SenderRequest, 'id'>): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread().postMessage({ id, ...message });
    });
  }

  /**
   * Starts the thread now rather than with the first send: loading its modules (kafkajs, ioredis,
   * the event contracts) takes a while on a busy machine, and a first send that waits for it could
   * count as stalled and send clicks to the spool.
   */
  start(): void {
    this.thread();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const workerData: SenderWorkerData = {
      brokers: this.options.brokers,
      clientId: this.options.clientId,
      eventCheck: this.options.eventCheck ?? 'every',
      redis: this.options.recentClicks,
    };
    const worker = new Worker(WORKER_SCRIPT, { workerData });
    worker.on('message', (reply: SenderReply) => {
      if ('recentErrors' in reply) return void recentErrors.inc(reply.recentErrors);
      if ('rejected' in reply) return reportRejectedClick(this.options.logger, reply.rejected);
      const { id, error } = reply;
      const call = this.pending.get(id);
      this.pending.delete(id);
      if (error) call?.reject(new Error(error));
      else call?.resolve();
    });
    worker.on('error', (err) => this.options.logger.error({ err }, 'Kafka sender thread failed'));
    worker.on('exit', () => {
      // A thread that died (or was terminated) leaves nothing pending: the caller retries or spools.
      if (this.worker === worker) this.worker = undefined;
      for (const call of this.pending.values()) call.reject(new Error('Kafka sender thread exited'));
      this.pending.clear();
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
