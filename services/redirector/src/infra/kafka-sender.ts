import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@hop/telemetry';
import type { SpooledMessage } from './spool';

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Sends batches of messages to Kafka from a worker thread (kafka-sender.worker.js) holding an
 * idempotent producer: the request thread only joins strings and posts them. One call resolves
 * when the broker acknowledged the whole batch; the producer retries until it does.
 */
export class KafkaSender {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly options: { brokers: string[]; clientId: string; logger: Logger }) {}

  send(topic: string, messages: SpooledMessage[]): Promise<void> {
    let payload = '';
    for (const m of messages) payload += `${m.key}\t${m.value}\n`;
    return this.call({ op: 'send', topic, payload });
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

  private call(message: { op: string; topic?: string; payload?: string }): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.start().postMessage({ id, ...message });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(__dirname, 'kafka-sender.worker.js'), {
      workerData: { brokers: this.options.brokers, clientId: this.options.clientId },
    });
    worker.on('message', ({ id, error }: { id: number; error?: string }) => {
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
