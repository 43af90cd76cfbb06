// @ts-check
/**
 * Worker thread of QrCodeRenderer (qr-codes.ts): renders QR codes as PNG data URLs, so that a page
 * of them (several ms of CPU each) does not hold the request thread. Plain JavaScript so that it
 * runs as is from src/ (tests) and dist/ (allowJs copies it).
 *
 * in:  { id, texts: string[] }
 * out: { id, urls: string[] } or { id, error: string }
 */
const { parentPort } = require('node:worker_threads');
const QRCode = require('qrcode');

if (!parentPort) throw new Error('qr-codes.worker.js runs as a worker thread');
const port = parentPort;

port.on('message', async (/** @type {{ id: number, texts: string[] }} */ { id, texts }) => {
  try {
    const urls = [];
    for (const text of texts) urls.push(await QRCode.toDataURL(text, { errorCorrectionLevel: 'M' }));
    port.postMessage({ id, urls });
  } catch (err) {
    port.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
