import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import { ensureTopics } from '@hop/events';
import { eventually, tcpReachable, type TestInfra } from '@hop/testing';
import { loadRedirectorConfig } from '../src/config';
import type { Route } from '../src/domain/route';
import { start } from '../src/main';

export const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
export const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
export const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36';

export const tempDir = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `hop-${name}-`));

/** The redirector in-process on port 0 with this file's isolation and its own spool directory. */
export function startRedirector(infra: TestInfra, env: Record<string, string> = {}) {
  return start(
    loadRedirectorConfig(
      infra.serviceEnv('redirector', {
        CLICK_SPOOL_DIR: tempDir('spool'),
        // Unreachable unless a test starts the link service: lookups fail fast to "unavailable".
        LINK_URL: 'http://127.0.0.1:9',
        CLICK_LINGER_MS: '5',
        ...env,
      }),
    ),
  );
}

export type Redirector = Awaited<ReturnType<typeof startRedirector>>;

let counter = 0;
/** A valid route (routeSchema) with a fresh shortId and ids. */
export function newRoute(over: Partial<Route> = {}): Route {
  return {
    linkId: randomUUID(),
    shortId: `r${Date.now().toString(36)}${(counter++).toString(36)}`,
    workspaceId: randomUUID(),
    url: 'https://dest.example/landing',
    utm: null,
    params: null,
    redirectType: 302,
    active: true,
    expiresAt: null,
    expiredUrl: null,
    passwordHash: null,
    cloaked: false,
    hideReferrer: false,
    ios: null,
    android: null,
    geo: null,
    partnerId: null,
    tenantId: null,
    externalId: null,
    title: null,
    description: null,
    image: null,
    socialTitle: null,
    socialDescription: null,
    socialImage: null,
    version: Date.now(),
    ...over,
  };
}

/** Writes a route as the link service does: `route:<shortId>`, then the invalidation message. */
export async function putRoute(redis: Redis, keyPrefix: string, route: Route): Promise<Route> {
  await redis.set(`route:${route.shortId}`, JSON.stringify(route));
  await redis.publish(`${keyPrefix}routes`, route.shortId);
  return route;
}

export async function deleteRoute(redis: Redis, keyPrefix: string, shortId: string): Promise<void> {
  await redis.del(`route:${shortId}`);
  await redis.publish(`${keyPrefix}routes`, shortId);
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request without following redirects. */
export function request(
  base: string,
  pathAndQuery: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(pathAndQuery, base), { method: options.method ?? 'GET', headers: { 'user-agent': CHROME, ...options.headers }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** `n` GETs of `pathAndQuery` with `concurrency` in flight; returns the replies (errors as status 0). */
export async function hammer(base: string, pathAndQuery: string, n: number, concurrency = 16, onEach?: (i: number) => Promise<void> | void) {
  const replies: Reply[] = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await onEach?.(i);
      replies[i] = await request(base, pathAndQuery).catch(() => ({ status: 0, headers: {}, body: '' }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return replies;
}

export const clickIdOf = (reply: Reply) => new URL(String(reply.headers.location)).searchParams.get('hoko_id');

/** Collects every clicks.v1 event (from the beginning) of a topic prefix, keyed by Kafka message. */
export async function collectClicks(kafka: Kafka, topicPrefix: string) {
  await ensureTopics(kafka, topicPrefix, [{ topic: 'clicks' }]);
  const events: { key: string; event: any }[] = [];
  const consumer = kafka.consumer({ groupId: `test-clicks-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: `${topicPrefix}clicks.v1`, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      events.push({ key: String(message.key), event: JSON.parse(String(message.value)) });
    },
  });
  return {
    events,
    byClickId: (clickId: string) => events.find((e) => e.event.data.clickId === clickId),
    stop: () => consumer.disconnect(),
  };
}

/** A redis-server of a test's own (free port, no persistence), to stop and restart without touching the shared one. */
export class PrivateRedis {
  private process?: ChildProcess;
  constructor(readonly port = 26_400 + Math.floor(Math.random() * 2_000)) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.process = child;
    await eventually(() => tcpReachable('127.0.0.1', this.port, 200), 10_000, 50);
  }

  /** Kills the server (its data is gone: no persistence). */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.process = undefined;
  }
}
