import type http from 'node:http';
import { DomainError } from '@hop/errors';

/**
 * Reads a small JSON body from a bare node:http request; 413 past `limitBytes`, 400 when not JSON.
 * An empty body reads as `{}`, so validation answers 400 naming the missing fields.
 */
export async function readJsonBody(req: http.IncomingMessage, limitBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new DomainError('PAYLOAD_TOO_LARGE');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('INVALID_REQUEST_FORMAT');
  }
}
