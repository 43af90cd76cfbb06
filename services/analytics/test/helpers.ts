import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { EventProducer, newEvent, topicName, type EventEnvelope, type Route } from '@hop/events';
import { TestInfra, contractFetch, eventually, signedHeaders } from '@hop/testing';
import { loadAnalyticsConfig } from '../src/config';
import type { ClickRecorded } from '../src/domain/click';
import { start } from '../src/main';

export type Analytics = Awaited<ReturnType<typeof start>>;

export const SECRET = 'test-internal-secret-0123456789';
export const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
export const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
export const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** One test file's analytics: its own database and topics, a producer, signed HTTP calls. */
export class AnalyticsHarness {
  readonly infra = new TestInfra();
  readonly producer = new EventProducer(this.infra.kafka(), this.infra.topicPrefix);
  private readonly services = new Set<Analytics>();

  async start(extraEnv: Record<string, string> = {}): Promise<Analytics> {
    const service = await start(loadAnalyticsConfig(this.infra.serviceEnv('analytics', { PENDING_CONVERSIONS_INTERVAL_MS: '200', ...extraEnv })));
    this.services.add(service);
    return service;
  }

  async stop(service: Analytics): Promise<void> {
    this.services.delete(service);
    await service.close();
  }

  async cleanup(): Promise<void> {
    for (const s of this.services) await s.close();
    await this.producer.disconnect();
    await this.infra.cleanup();
  }

  publishClicks(events: EventEnvelope[]): Promise<void> {
    return this.producer.publish('clicks', events, (e) => (e.data as ClickRecorded).linkId);
  }

  publishLinks(events: EventEnvelope[]): Promise<void> {
    return this.producer.publish('links', events, (e) => (e.data as { route: { shortId: string } }).route.shortId);
  }

  publishConversions(events: EventEnvelope[]): Promise<void> {
    return this.producer.publish('conversions', events, (e) => (e.data as { customerId: string }).customerId);
  }

  /** A direct connection to the service's database, for checks the API cannot make. */
  async sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.infra.databaseUrl('analytics') });
    await client.connect();
    try {
      return (await client.query(query, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Resolves once `groupId` has committed every message of `topic` (clicks.v1 by default). */
  async caughtUp(groupId: string, topic: 'clicks' | 'conversions' | 'links' = 'clicks', timeoutMs = 30_000): Promise<void> {
    const admin = this.infra.kafka().admin();
    await admin.connect();
    try {
      const name = topicName(topic, this.infra.topicPrefix);
      await eventually(
        async () => {
          const ends = await admin.fetchTopicOffsets(name);
          const [committed] = await admin.fetchOffsets({ groupId, topics: [name] });
          return ends.every((end) => {
            const c = committed.partitions.find((p) => p.partition === end.partition);
            return Number(end.offset) === 0 || Number(c?.offset) === Number(end.offset);
          });
        },
        timeoutMs,
        200,
      );
    } finally {
      await admin.disconnect();
    }
  }
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
}

/** GET through the gateway's proof, as workspace `workspaceId`. */
export async function get(service: Analytics, path: string, workspaceId: string): Promise<CallResult> {
  const headers = signedHeaders({ secret: SECRET, method: 'GET', url: path, workspaceId, scopes: ['analyticsRead'] });
  const response = await contractFetch('service')(`${service.url}${path}`, { headers });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Number of the workspace's clicks the API reports (bots included). */
export async function storedClicks(service: Analytics, workspaceId: string): Promise<number> {
  const r = await get(service, '/api/analytics?take=1&includeBots=true', workspaceId);
  return Number(r.headers.get('x-total-count'));
}

export const waitForClicks = (service: Analytics, workspaceId: string, n: number, timeoutMs = 30_000) =>
  eventually(async () => (await storedClicks(service, workspaceId)) === n, timeoutMs);

/** links.v1's link.upserted for a link in a collection (null: an event written before routes carried it). */
export function linkUpserted(workspaceId: string, linkId: string, collectionId: string | null, version: number): EventEnvelope {
  const route: Route = {
    linkId,
    shortId: `k${linkId.slice(0, 8)}`,
    workspaceId,
    url: 'https://example.com/landing',
    redirectType: 302,
    active: true,
    cloaked: false,
    hideReferrer: false,
    version,
  };
  if (collectionId !== null) route.collectionId = collectionId;
  return newEvent('link.upserted', workspaceId, { route });
}

export function clickEvent(workspaceId: string, data: Partial<ClickRecorded> = {}): EventEnvelope {
  return newEvent('click.recorded', workspaceId, {
    clickId: randomUUID(),
    linkId: randomUUID(),
    shortId: 'abc123',
    partnerId: null,
    tenantId: null,
    externalId: null,
    destination: 'https://example.com/landing',
    referrer: null,
    userAgent: CHROME_MAC,
    ipHash: 'h',
    country: null,
    city: null,
    qr: false,
    bot: false,
    visitorId: null,
    visitorSessionId: null,
    utm: null,
    trigger: 'link',
    timestamp: new Date().toISOString(),
    ...data,
  });
}

export function conversionEvent(
  type: 'lead.created' | 'sale.created',
  workspaceId: string,
  click: { clickId: string; linkId: string; partnerId?: string | null },
  extra: { amount?: number; timestamp?: string } = {},
): EventEnvelope {
  const base = {
    customerId: randomUUID(),
    customerExternalId: 'cus_1',
    clickId: click.clickId,
    linkId: click.linkId,
    partnerId: click.partnerId ?? null,
    eventName: type === 'lead.created' ? 'Sign up' : 'Purchase',
    metadata: null,
    timestamp: extra.timestamp ?? new Date().toISOString(),
  };
  return type === 'lead.created'
    ? newEvent(type, workspaceId, { leadId: randomUUID(), ...base })
    : newEvent(type, workspaceId, { saleId: randomUUID(), ...base, amount: extra.amount ?? 0, currency: 'usd' });
}

/** Duplicates in the raw table, and the rollup total against the raw count: both must stay exact. */
export async function integrity(h: AnalyticsHarness, workspaceId: string) {
  const [raw] = await h.sql<{ rows: string; ids: string }>(
    'SELECT count(*) AS rows, count(DISTINCT click_id) AS ids FROM clicks WHERE workspace_id = $1',
    [workspaceId],
  );
  const [rolled] = await h.sql<{ clicks: string | null }>(
    `SELECT sum(clicks) AS clicks FROM rollups WHERE workspace_id = $1 AND dimension = 'count'`,
    [workspaceId],
  );
  return { rows: Number(raw.rows), distinctIds: Number(raw.ids), rollupClicks: Number(rolled.clicks ?? 0) };
}

