import { Worker } from 'node:worker_threads';
import type { QRCodeToBufferOptions } from 'qrcode';

// Encoding a large PNG takes the qrcode package a few hundred milliseconds of CPU (2048 px ≈ 250 ms):
// on the redirector's event loop that would stall every redirect, so PNGs are rendered in a worker.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const QRCode = require(workerData.qrcodePath);
parentPort.on('message', ({ id, text, options }) => {
  QRCode.toBuffer(text, options).then(
    (png) => parentPort.postMessage({ id, png }),
    (err) => parentPort.postMessage({ id, error: String((err && err.message) || err) }),
  );
});
`;

type Reply = { id: number; png?: Uint8Array; error?: string };

export class RenderQueueFull extends Error {}

/** Renders QR PNGs with the qrcode package on one worker thread, at most `maxPending` at a time. */
export class PngRenderer {
  private worker?: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (png: Buffer) => void; reject: (err: Error) => void }>();

  constructor(private readonly maxPending = 32) {}

  render(text: string, options: QRCodeToBufferOptions): Promise<Buffer> {
    if (this.pending.size >= this.maxPending) return Promise.reject(new RenderQueueFull());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, text, options });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { qrcodePath: require.resolve('qrcode') } });
    worker.on('message', ({ id, png, error }: Reply) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (!waiting) return;
      if (png) waiting.resolve(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
      else waiting.reject(new Error(error ?? 'PNG rendering failed'));
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`PNG renderer exited with code ${code}`)));
    // Never keeps the process alive (it only serves a running server); after the listeners, which would ref it again.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
