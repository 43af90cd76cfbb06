import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Redis from 'ioredis';
import { verifyInternalRequest } from '@hop/http';
import { contractFetch, signedHeaders, type TestInfra } from '@hop/testing';
import { start } from '../src/main';
import { loadConversionConfig } from '../src/config';

export const SECRET = 'test-internal-secret-0123456789';

export type Json = any;

export interface Reply {
  status: number;
  headers: Headers;
  body: Json;
}

/** Calls a service the way the gateway does: context headers plus the internal proof. */
export async function call(
  baseUrl: string,
  method: string,
  url: string,
  options: { workspaceId?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {
    ...signedHeaders({ secret: SECRET, method, url, workspaceId: options.workspaceId, scopes: ['conversionsWrite', 'customersRead'] }),
    ...options.headers,
  };
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  const response = await contractFetch('service')(`${baseUrl}${url}`, { method, headers, body: payload });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/**
 * Stands in for the link service's GET /internal/links/:id and the analytics service's
 * GET /internal/clicks/:id (same routes, same proof check, same 404s) where a test needs links
 * and clicks without running those services; test/peers.int.test.ts uses the real ones.
 */
export class PeerStandIn {
  readonly links = new Map<string, { workspaceId: string; link: Record<string, unknown> }>();
  readonly clicks = new Map<string, { clickId: string; linkId: string; workspaceId: string; partnerId: string | null; shortId: string; createdAt: string }>();
  private server?: http.Server;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (!verifyInternalRequest(SECRET, req.method ?? '', req.url ?? '', req.headers)) return reply(401, { error: 'proof' });
      const workspaceId = req.headers['x-hop-workspace-id'];
      const [, , kind, rawId] = (req.url ?? '').split('/');
      const id = decodeURIComponent(rawId ?? '');
      const found = kind === 'links' ? this.links.get(id) : kind === 'clicks' ? this.clicks.get(id) : undefined;
      if (!found || found.workspaceId !== workspaceId) return reply(404, { error: 'not found' });
      reply(200, kind === 'links' ? (found as { link: unknown }).link : found);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /**
   * A link of the workspace, exactly as GET /internal/links/:id answers it (the Links API's link
   * object plus deletedAt).
   */
  addLink(workspaceId: string, overrides: Record<string, unknown> = {}) {
    const id = randomUUID();
    const shortId = randomUUID().slice(0, 7);
    const shortUrl = `https://hop.test/${shortId}`;
    const createdAt = new Date().toISOString();
    const link = {
      id,
      url: 'https://example.com/pricing',
      shortUrl,
      qrCode: `https://hop.test/qrcode?text=${encodeURIComponent(`${shortUrl}?qr=1`)}`,
      title: null,
      description: null,
      image: null,
      utm: null,
      expiresAt: null,
      expiredUrl: null,
      password: null,
      cloaked: false,
      ios: null,
      android: null,
      geo: null,
      collectionId: randomUUID(),
      externalId: null,
      tenantId: null,
      partnerId: null,
      redirectType: 302,
      active: true,
      hideReferrer: false,
      params: null,
      socialTitle: null,
      socialDescription: null,
      socialImage: null,
      tagIds: [],
      createdAt,
      updatedAt: createdAt,
      deletedAt: null,
      ...overrides,
    };
    this.links.set(id, { workspaceId, link });
    return link;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** The short id of a link object (the last segment of its shortUrl). */
export const shortIdOf = (link: { shortUrl: string }) => new URL(link.shortUrl).pathname.slice(1);

/** The redirector's recent-click record, exactly as docs/internal-contracts.md describes it. */
export async function writeRecentClick(
  redis: Redis,
  click: { clickId?: string; linkId: string; workspaceId: string; partnerId?: string | null; shortId?: string },
) {
  const record = {
    clickId: click.clickId ?? `c${randomUUID().replace(/-/g, '').slice(0, 20)}`,
    linkId: click.linkId,
    workspaceId: click.workspaceId,
    partnerId: click.partnerId ?? null,
    shortId: click.shortId ?? 'abc1234',
    tenantId: null,
    externalId: null,
    timestamp: new Date().toISOString(),
  };
  await redis.set(`click:${record.clickId}`, JSON.stringify(record), 'EX', 24 * 3600);
  return record;
}

export function startConversion(infra: TestInfra, peersUrl: { analytics: string; link: string }) {
  return start(loadConversionConfig(infra.serviceEnv('conversion', { ANALYTICS_URL: peersUrl.analytics, LINK_URL: peersUrl.link })));
}

/** A lead body with every required field; override what a test is about. */
export const leadBody = (overrides: Record<string, unknown> = {}) => ({
  clickId: '',
  eventName: 'Sign up',
  customerExternalId: 'customer_123',
  customerName: 'John Doe',
  ...overrides,
});

export const saleBody = (overrides: Record<string, unknown> = {}) => ({
  customerExternalId: 'customer_123',
  customerName: 'John Doe',
  amount: 12900,
  ...overrides,
});
