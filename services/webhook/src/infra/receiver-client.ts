import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { Agent } from 'undici';
import type { AttemptResult } from '../domain/attempt';
import { DestinationRefused, type DestinationGuard } from './destination-guard';

/** What is kept of a response body in the delivery log. */
const LOGGED_BODY_BYTES = 1024;
const TIMED_OUT = 'The receiver did not answer in time';

export interface ReceiverClientOptions {
  guard: DestinationGuard;
  /** Whole attempt: connect, send, response headers and the bounded body read. */
  timeoutMs: number;
  /** At most this much of a response is read; the rest is dropped with the connection. */
  maxResponseBytes: number;
  /** Kept-alive connections per receiver origin. */
  connectionsPerOrigin: number;
}

/** Where a receiver URL points, and why the guard refuses it if it is an address it refuses. */
interface Target {
  origin: string;
  path: string;
  refusal: string | null;
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
  /** Receiver URLs parsed, with the guard's answer for an address literal: the same few for every delivery. */
  private readonly targets = new Map<string, Target>();

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
  sign(messageId: string, timestamp: number, body: string, secrets: string[]): string {
    const content = `${messageId}.${timestamp}.${body}`;
    return secrets.map((secret) => `v1,${createHmac('sha256', this.key(secret)).update(content).digest('base64')}`).join(' ');
  }

  /**
   * One attempt, through the agent's dispatch API: no body stream, no AbortSignal, no promise per
   * step (the request API cost more than the rest of an attempt). One timer bounds the whole attempt.
   */
  send(req: SignedRequest): Promise<AttemptResult> {
    const startedAt = new Date();
    const started = performance.now();
    const { origin, path, refusal } = this.target(req.url);
    if (refusal) return Promise.resolve({ startedAt, durationMs: 0, status: null, body: null, error: refusal });
    const timestamp = Math.floor(startedAt.getTime() / 1000);
    const { timeoutMs, maxResponseBytes } = this.options;
    return new Promise<AttemptResult>((resolve) => {
      let status: number | null = null;
      const kept: Buffer[] = [];
      let keptBytes = 0;
      let read = 0;
      let abort: ((err: Error) => void) | undefined;
      let settled = false;
      const settle = (error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const durationMs = Math.round(performance.now() - started);
        resolve(
          error === null
            ? { startedAt, durationMs, status, body: Buffer.concat(kept).toString('utf8'), error: null }
            : { startedAt, durationMs, status: null, body: null, error },
        );
      };
      const timer = setTimeout(() => {
        settle(TIMED_OUT);
        abort?.(new Error(TIMED_OUT));
      }, timeoutMs);
      try {
        this.agent.dispatch(
          {
            origin,
            path,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'user-agent': 'Hop-Webhooks/1.0',
              'webhook-id': req.messageId,
              'webhook-timestamp': String(timestamp),
              'webhook-signature': this.sign(req.messageId, timestamp, req.body, req.secrets),
            },
            body: req.body,
          },
          {
            onConnect: (abortRequest) => {
              abort = abortRequest;
              // the attempt timed out while connecting
              if (settled) abortRequest(new Error(TIMED_OUT));
            },
            onHeaders: (statusCode) => {
              status = statusCode;
              return true;
            },
            onData: (chunk) => {
              read += chunk.length;
              if (keptBytes < LOGGED_BODY_BYTES) {
                kept.push(chunk.subarray(0, LOGGED_BODY_BYTES - keptBytes));
                keptBytes += Math.min(chunk.length, LOGGED_BODY_BYTES - keptBytes);
              }
              if (read < maxResponseBytes) return true;
              // enough read: the rest is dropped with the connection
              settle(null);
              abort?.(new Error('response read up to its bound'));
              return false;
            },
            onComplete: () => settle(null),
            onError: (err) => settle(describeError(err)),
          },
        );
      } catch (err) {
        settle(describeError(err));
      }
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private target(href: string): Target {
    let target = this.targets.get(href);
    if (!target) {
      // A bounded map, like the keys': subscriptions' URLs change rarely.
      if (this.targets.size > 10_000) this.targets.clear();
      const url = new URL(href);
      target = { origin: url.origin, path: `${url.pathname}${url.search}`, refusal: this.options.guard.literalRefusal(url) };
      this.targets.set(href, target);
    }
    return target;
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
}

function describeError(err: unknown): string {
  if (err instanceof DestinationRefused) return err.message;
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown };
  if (e.cause instanceof DestinationRefused) return e.cause.message;
  if (e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT' || e.code === 'UND_ERR_CONNECT_TIMEOUT') return TIMED_OUT;
  return e.code ? `${e.code}: ${e.message ?? ''}`.trim() : (e.message ?? String(err));
}
