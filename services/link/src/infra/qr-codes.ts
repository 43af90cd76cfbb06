import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerScript } from '@hop/runtime';
import type { Logger } from '@hop/telemetry';
import type { QrReply, QrRequest } from './qr-codes.worker';

interface Pending {
  resolve: (urls: string[]) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** Threads beside the request thread: one core stays for requests (at least one thread, at most two). */
export const defaultQrThreads = () => Math.max(1, Math.min(2, os.availableParallelism() - 1));

/**
 * Renders QR codes as PNG data URLs on a small pool of worker threads (qr-codes.worker.ts). A page
 * of 100 codes costs about half a second of CPU: on the request thread it stalled every other
 * request of the service meanwhile. Each call goes whole to the thread with the fewest calls
 * waiting; threads start on first use and are started again after one died.
 */
export class QrCodeRenderer {
  private readonly threads: (Thread | undefined)[];
  private nextId = 0;

  constructor(
    size: number,
    private readonly logger: Logger,
  ) {
    this.threads = Array.from({ length: Math.max(1, size) }, () => undefined);
  }

  dataUrls(texts: string[]): Promise<string[]> {
    if (!texts.length) return Promise.resolve([]);
    const id = this.nextId++;
    const thread = this.leastBusy();
    return new Promise<string[]>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, texts } satisfies QrRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.flatMap((t) => (t ? [t.worker.terminate()] : [])));
  }

  private leastBusy(): Thread {
    let best = 0;
    for (let i = 0; i < this.threads.length; i++) {
      const thread = this.threads[i];
      if (!thread) return this.start(i);
      if (thread.pending.size < (this.threads[best]?.pending.size ?? 0)) best = i;
    }
    return this.threads[best] ?? this.start(best);
  }

  private start(slot: number): Thread {
    const worker = new Worker(workerScript(__filename, 'qr-codes.worker.js'));
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', ({ id, urls, error }: QrReply) => {
      const call = thread.pending.get(id);
      thread.pending.delete(id);
      if (urls) call?.resolve(urls);
      else call?.reject(new Error(error ?? 'QR code rendering failed'));
    });
    worker.on('error', (err) => this.logger.error({ err }, 'QR code thread failed'));
    worker.on('exit', () => {
      if (this.threads[slot] === thread) this.threads[slot] = undefined;
      for (const call of thread.pending.values()) call.reject(new Error('QR code thread exited'));
      thread.pending.clear();
    });
    // An idle pool must not keep the process alive.
    worker.unref();
    this.threads[slot] = thread;
    return thread;
  }
}
