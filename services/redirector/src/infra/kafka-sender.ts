import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { metrics, type Logger } from '@hop/telemetry';
import type { SpooledMessage } from './spool';

const recentErrors = metrics.counter('hop_redirector_recent_click_errors_total', 'Recent-click records not written to Redis');

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface KafkaSenderOptions {
  brokers: string[];
  clientId: string;
  /** The Redis the `click:<clickId>` records go to; none are written without it. */
  recentClicks?: { url: string; keyPrefix: string };
  logger: Logger;
}

/**
 * Sends batches of clicks to Kafka from a worker thread (kafka-sender.worker.js) holding an
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
   * Sends fresh clicks (in their wire form, see click-message.js), and writes the recent-click
   * records of `recent` whatever Kafka does.
   */
  sendClicks(topic: string, clicks: unknown[][], recent: unknown[][]): Promise<void> {
    // The same arrays in both lists are cloned once (structured clone keeps references).
    return this.call({ op: 'send', topic, clicks, recent });
  }

  /** Sends messages replayed from the spool (already serialised), and the records of `recent`. */
  sendSpooled(topic: string, messages: SpooledMessage[], recent: unknown[][]): Promise<void> {
    let payload = '';
    for (const m of messages) payload += `${m.key}\t${m.value}\n`;
    return this.call({ op: 'send', topic, payload, recent });
  }

  /** Writes recent-click records only (clicks going to the spool instead of Kafka). */
  remember(recent: unknown[][]): Promise<void> {
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

  private call(message: { op: string; topic?: string; payload?: string; clicks?: unknown[][]; recent?: unknown[][] }): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.start().postMessage({ id, ...message });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(__dirname, 'kafka-sender.worker.js'), {
      workerData: { brokers: this.options.brokers, clientId: this.options.clientId, redis: this.options.recentClicks },
    });
    worker.on('message', (reply: { id: number; error?: string } | { recentErrors: number }) => {
      if ('recentErrors' in reply) return void recentErrors.inc(reply.recentErrors);
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
