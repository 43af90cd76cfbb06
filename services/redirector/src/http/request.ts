import type http from 'node:http';

/** Small helpers over node:http requests (the redirector does not use express). */

export const header = (req: http.IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The visitor's IP: from the trusted proxy header when configured (first entry), else the socket's. */
export function clientIp(req: http.IncomingMessage, trustedHeader: string): string | null {
  const forwarded = trustedHeader ? header(req, trustedHeader)?.split(',')[0]?.trim() : undefined;
  const ip = forwarded || req.socket.remoteAddress || null;
  return ip?.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** The value of one cookie, without parsing the others. */
export function cookie(req: http.IncomingMessage, name: string): string | null {
  const raw = req.headers.cookie;
  if (!raw) return null;
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

export class BodyTooLarge extends Error {}

/** Reads a request body up to `limit` bytes (BodyTooLarge beyond, without buffering the rest). */
export function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export const HTML = 'text/html; charset=utf-8';

export function sendHtml(res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, {
    'content-type': HTML,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
