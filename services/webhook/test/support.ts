import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import http from 'node:http';
import dnsPacket from 'dns-packet';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { EventProducer, ensureTopics, newEvent } from '@hop/events';
import { signedHeaders, type TestInfra } from '@hop/testing';
import { loadWebhookConfig } from '../src/config';
import { start } from '../src/main';

export type Json = any;

/** One request a receiver got, and whether `standardwebhooks` accepted its signature with the secret(s) the test knows. */
export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: Json;
  rawBody: string;
  verifiedWith: string[];
  at: number;
}

/**
 * A customer's webhook receiver: a real HTTP server that checks every request with the
 * Standard Webhooks library (not Hop's code) against the secrets it was given. `answer` decides
 * each response's status; `down()`/`up()` stop and restart it on the same port.
 */
export class Receiver {
  readonly received: Received[] = [];
  readonly secrets = new Set<string>();
  answer: (body: Json) => number = () => 200;
  private server?: http.Server;
  port = 0;

  get url() {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async up(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const headers = {
          'webhook-id': String(req.headers['webhook-id']),
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        };
        const verifiedWith = [...this.secrets].filter((secret) => {
          try {
            new Webhook(secret).verify(rawBody, headers);
            return true;
          } catch {
            return false;
          }
        });
        const body = JSON.parse(rawBody);
        const status = this.answer(body);
        this.received.push({
          id: headers['webhook-id'],
          timestamp: headers['webhook-timestamp'],
          signature: headers['webhook-signature'],
          body,
          rawBody,
          verifiedWith,
          at: Date.now(),
        });
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(`got ${headers['webhook-id']}`);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * One request per webhook-id, the first: delivery is at least once, and a repeat (an attempt that
   * outlived its timeout on a loaded machine, then retried) is the same event again, not a new one.
   */
  events(): Received[] {
    const seen = new Set<string>();
    return this.received.filter((r) => !seen.has(r.id) && seen.add(r.id));
  }

  /** Events (one per webhook-id) whose body is of `type` (and passes `where`). */
  ofType(type: string, where: (body: Json) => boolean = () => true): Received[] {
    return this.events().filter((r) => r.body.type === type && where(r.body));
  }
}

/** Env for the webhook service in tests: loopback allowed over http, as in development. */
export const devWebhookEnv = (extra: Record<string, string> = {}) => ({
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
  WEBHOOK_POLL_MS: '100',
  ...extra,
});

export function startWebhook(infra: TestInfra, env: Record<string, string>) {
  return start(loadWebhookConfig(infra.serviceEnv('webhook', env)));
}

export interface Reply {
  status: number;
  headers: Headers;
  body: Json;
}

/** Calls the webhook service the way the gateway does (context headers and proof). */
export async function call(baseUrl: string, method: string, url: string, options: { workspaceId: string; body?: unknown }): Promise<Reply> {
  const headers: Record<string, string> = signedHeaders({ method, url, workspaceId: options.workspaceId, scopes: ['webhooksRead', 'webhooksWrite'] });
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${url}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** A visitor's click as the redirector publishes it on clicks.v1 (for tests about volume, not about the redirector). */
export function clickEvent(workspaceId: string, link: { id: string; shortUrl: string }, clickId: string) {
  return newEvent('click.recorded', workspaceId, {
    clickId,
    linkId: link.id,
    shortId: new URL(link.shortUrl).pathname.slice(1),
    workspaceId,
    destination: 'https://shop.example/',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
    country: 'DE',
    qr: false,
    bot: false,
    trigger: 'link',
    timestamp: new Date().toISOString(),
  });
}

/** Publishes `count` clicks on `link` straight to clicks.v1; returns their click ids. */
export async function publishClicks(infra: TestInfra, workspaceId: string, link: { id: string; shortUrl: string }, count: number): Promise<string[]> {
  const kafka = infra.kafka();
  await ensureTopics(kafka, infra.topicPrefix, [{ topic: 'clicks' }]);
  const producer = new EventProducer(kafka, infra.topicPrefix);
  const ids = Array.from({ length: count }, (_, i) => `c${i}_${randomUUID().slice(0, 8)}`);
  try {
    for (let i = 0; i < ids.length; i += 500) {
      await producer.publish('clicks', ids.slice(i, i + 500).map((id) => clickEvent(workspaceId, link, id)), () => link.id);
    }
  } finally {
    await producer.disconnect();
  }
  return ids;
}

/** For every click id, the webhook-ids it arrived with: exactly one each means duplicates (if any) were recognisable. */
export function webhookIdsByClick(received: Received[]): Map<string, Set<string>> {
  const byClick = new Map<string, Set<string>>();
  for (const r of received) {
    if (r.body.type !== 'link.clicked') continue;
    const ids = byClick.get(r.body.data.click.id) ?? new Set<string>();
    ids.add(r.id);
    byClick.set(r.body.data.click.id, ids);
  }
  return byClick;
}

/**
 * A real DNS server on loopback (UDP) answering A queries from `answers` (name → address, looked
 * up on every query, so a test can change its mind — DNS rebinding); other names and AAAA get
 * an empty answer.
 */
export async function startDnsServer(answers: Map<string, string>) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, from) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    const address = question?.type === 'A' ? answers.get(question.name) : undefined;
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: query.questions,
      answers: address && question ? [{ type: 'A', name: question.name, ttl: 0, class: 'IN', data: address }] : [],
    });
    socket.send(response, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { server: `127.0.0.1:${socket.address().port}`, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
