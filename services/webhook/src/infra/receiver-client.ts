import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { Agent, request } from 'undici';
import type { AttemptResult } from '../domain/attempt';
import { DestinationRefused, type DestinationGuard } from './destination-guard';

/** What is kept of a response body in the delivery log. */
const LOGGED_BODY_BYTES = 1024;

export interface ReceiverClientOptions {
  guard: DestinationGuard;
  /** Whole attempt: connect, send, response headers and the bounded body read. */
  timeoutMs: number;
  /** At most this much of a response is read; the rest is dropped with the connection. */
  maxResponseBytes: number;
  /** Kept-alive connections per receiver origin. */
  connectionsPerOrigin: number;
}

export interface SignedRequest {
  url: string;
  messageId: string;
  body: string;
  secrets: string[];
}

/**
 * Posts signed webhooks (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature
 * with one `v1,` signature per signing secret). Connections go only where the guard allows;
 * redirects are not followed (a 3xx is a failed attempt).
 */
export class ReceiverClient {
  private readonly agent: Agent;
  /** HMAC keys by secret: decoding a secret and making a key object per delivery cost more than the HMAC. */
  private readonly keys = new Map<string, KeyObject>();

  constructor(private readonly options: ReceiverClientOptions) {
    this.agent = new Agent({
      connect: { lookup: options.guard.lookup, timeout: options.timeoutMs },
      connections: options.connectionsPerOrigin,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  /**
   * Signature header value for `secrets` (the current one and, during a rotation, the previous):
   * `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` per secret (node:crypto, once per attempt).
   */
  private sign(messageId: string, timestamp: number, body: string, secrets: string[]): string {
    const content = `${messageId}.${timestamp}.${body}`;
    return secrets.map((secret) => `v1,${createHmac('sha256', this.key(secret)).update(content).digest('base64')}`).join(' ');
  }

  async send(req: SignedRequest): Promise<AttemptResult> {
    const startedAt = new Date();
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(req.url);
    const refusal = this.options.guard.literalRefusal(url);
    if (refusal) return { startedAt, durationMs: 0, status: null, body: null, error: refusal };
    const timestamp = Math.floor(startedAt.getTime() / 1000);
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Hop-Webhooks/1.0',
          'webhook-id': req.messageId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': this.sign(req.messageId, timestamp, req.body, req.secrets),
        },
        body: req.body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const body = await this.readBounded(response.body);
      return { startedAt, durationMs: elapsed(), status: response.statusCode, body, error: null };
    } catch (err) {
      return { startedAt, durationMs: elapsed(), status: null, body: null, error: describeError(err) };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  /** A Standard Webhooks secret's key: the base64 after `whsec_`. */
  private key(secret: string): KeyObject {
    let key = this.keys.get(secret);
    if (!key) {
      // Secrets rotate rarely; a bounded map keeps a long-running process from growing with them.
      if (this.keys.size > 10_000) this.keys.clear();
      this.keys.set(secret, (key = createSecretKey(Buffer.from(secret.replace(/^whsec_/, ''), 'base64'))));
    }
    return key;
  }

  /** Reads at most maxResponseBytes, keeps the first KB as text. */
  private async readBounded(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let read = 0;
    for await (const chunk of body) {
      read += chunk.length;
      if (keptBytes < LOGGED_BODY_BYTES) {
        kept.push(chunk.subarray(0, LOGGED_BODY_BYTES - keptBytes));
        keptBytes += Math.min(chunk.length, LOGGED_BODY_BYTES - keptBytes);
      }
      if (read >= this.options.maxResponseBytes) {
        body.destroy();
        break;
      }
    }
    return Buffer.concat(kept).toString('utf8');
  }
}

function describeError(err: unknown): string {
  if (err instanceof DestinationRefused) return err.message;
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown };
  if (e.cause instanceof DestinationRefused) return e.cause.message;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
    return 'The receiver did not answer in time';
  }
  return e.code ? `${e.code}: ${e.message ?? ''}`.trim() : (e.message ?? String(err));
}
