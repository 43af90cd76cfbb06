/**
 * Worker thread of QrCodeRenderer (qr-codes.ts): renders QR codes as PNG data URLs, so that a page
 * of them (several ms of CPU each) does not hold the request thread. Runs compiled from dist/
 * (workerScript in @hop/runtime).
 *
 * in:  { id, texts: string[] }
 * out: { id, urls: string[] } or { id, error: string }
 */
import { parentPort } from 'node:worker_threads';
import QRCode from 'qrcode';

export interface QrRequest {
  id: number;
  texts: string[];
}
export type QrReply = { id: number; urls: string[]; error?: undefined } | { id: number; urls?: undefined; error: string };

if (!parentPort) throw new Error('qr-codes.worker runs as a worker thread');
const port = parentPort;

port.on('message', ({ id, texts }: QrRequest) => {
  void render(texts).then(
    (urls) => port.postMessage({ id, urls } satisfies QrReply),
    (err: unknown) => port.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies QrReply),
  );
});

async function render(texts: string[]): Promise<string[]> {
  const urls: string[] = [];
  for (const text of texts) urls.push(await QRCode.toDataURL(text, { errorCorrectionLevel: 'M' }));
  return urls;
}
