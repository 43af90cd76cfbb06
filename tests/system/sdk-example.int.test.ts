import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestInfra, contractFetch, eventually } from '@hop/testing';
import { HopApiError, createHopClient, listAll, pages, unwrap } from '@hop/sdk';
import { quickstart } from '../../libs/sdk/src/examples/quickstart';
import { start as startGateway } from '../../services/gateway/src/main';
import { loadGatewayConfig } from '../../services/gateway/src/config';
import { start as startLink } from '../../services/link/src/main';
import { loadLinkConfig } from '../../services/link/src/config';
import { start as startCatalog } from '../../services/catalog/src/main';
import { loadCatalogConfig } from '../../services/catalog/src/config';
import { start as startPartner } from '../../services/partner/src/main';
import { loadPartnerConfig } from '../../services/partner/src/config';
import { start as startAnalytics } from '../../services/analytics/src/main';
import { loadAnalyticsConfig } from '../../services/analytics/src/config';
import { start as startConversion } from '../../services/conversion/src/main';
import { loadConversionConfig } from '../../services/conversion/src/config';
import { start as startRedirector } from '../../services/redirector/src/main';
import { loadRedirectorConfig } from '../../services/redirector/src/config';

/**
 * The SDK's README example against the whole stack (every service in-process, real PostgreSQL,
 * Redis and Kafka): through the gateway with a real API key, every answer checked against the
 * OpenAPI document on the way (contractFetch).
 */
const ADMIN_TOKEN = 'sdk-example-admin-token-0123';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const infra = new TestInfra();
const spoolDir = mkdtempSync(path.join(os.tmpdir(), 'hop-sdk-example-'));
const running: { close(): Promise<void> }[] = [];
let gatewayUrl = '';
let redirectorUrl = '';
let apiKey = '';

async function started<T extends { url: string; close(): Promise<void> }>(service: Promise<T>): Promise<T> {
  const s = await service;
  running.push(s);
  return s;
}

beforeAll(async () => {
  const env = infra.serviceEnv.bind(infra);
  const [catalog, partner, analytics] = await Promise.all([
    started(startCatalog(loadCatalogConfig(env('catalog')))),
    started(startPartner(loadPartnerConfig(env('partner')))),
    started(startAnalytics(loadAnalyticsConfig(env('analytics')))),
  ]);
  const link = await started(startLink(loadLinkConfig(env('link', { CATALOG_URL: catalog.url, PARTNER_URL: partner.url }))));
  const [conversion, redirector] = await Promise.all([
    started(startConversion(loadConversionConfig(env('conversion', { ANALYTICS_URL: analytics.url, LINK_URL: link.url })))),
    started(startRedirector(loadRedirectorConfig(env('redirector', { LINK_URL: link.url, PROJECTOR_PORT: '0', CLICK_SPOOL_DIR: spoolDir })))),
  ]);
  const gateway = await started(
    startGateway(
      loadGatewayConfig(
        env('gateway', {
          ADMIN_TOKEN,
          LINK_URL: link.url,
          CATALOG_URL: catalog.url,
          PARTNER_URL: partner.url,
          ANALYTICS_URL: analytics.url,
          CONVERSION_URL: conversion.url,
        }),
      ),
    ),
  );
  gatewayUrl = gateway.url;
  redirectorUrl = redirector.url;

  /** POST to the admin API; returns the named string field of the answer. */
  const admin = async (url: string, body: unknown, field: 'id' | 'key'): Promise<string> => {
    const response = await fetch(`${gatewayUrl}/admin${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer: unknown = await response.json();
    const value = answer && typeof answer === 'object' && field in answer ? Object(answer)[field] : undefined;
    if (typeof value !== 'string') throw new Error(`admin ${url} answered ${response.status} ${JSON.stringify(answer)}`);
    return value;
  };
  const workspaceId = await admin('/workspaces', { name: 'SDK example', plan: 'business' }, 'id');
  apiKey = await admin(`/workspaces/${workspaceId}/keys`, { name: 'sdk', allScopes: true }, 'key');
}, 90_000);

afterAll(async () => {
  for (const service of running.reverse()) await service.close();
  rmSync(spoolDir, { recursive: true, force: true });
  await infra.cleanup();
});

/** A visitor opens the short link at the redirector; the destination receives the click id as hoko_id. */
async function visit(shortUrl: string): Promise<string> {
  const response = await fetch(`${redirectorUrl}${new URL(shortUrl).pathname}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
  const clickId = new URL(response.headers.get('location') ?? '').searchParams.get('hoko_id') ?? '';
  const redis = infra.redis();
  try {
    // the lead is attributed through the redirector's recent-click record, written right after the redirect
    await eventually(async () => (await redis.exists(`click:${clickId}`)) === 1);
  } finally {
    redis.disconnect();
  }
  return clickId;
}

test('the README example runs against the real stack and every answer is as the OpenAPI document says', async () => {
  const result = await quickstart({ baseUrl: gatewayUrl, apiKey, fetch: contractFetch('gateway') }, visit);

  expect(result.collection.name).toBe('Spring campaign');
  expect(result.link).toMatchObject({ url: 'https://example.com/spring', collectionId: result.collection.id, title: 'Spring sale' });
  expect(result.links.map((l) => l.id)).toEqual([result.link.id]);
  expect(result.lead.click.id).toMatch(/\S/);
  expect(result.lead.link.id).toBe(result.link.id);
  expect(result.lead.lead).toEqual({ eventName: 'Sign up', metadata: { plan: 'pro' } });
  expect(result.totals).toEqual(expect.objectContaining({ clicks: expect.any(Number), leads: expect.any(Number) }));

  // the click and the lead reach the analytics through Kafka
  const hop = createHopClient({ baseUrl: gatewayUrl, apiKey, fetch: contractFetch('gateway') });
  await eventually(async () => {
    const totals = unwrap(await hop.GET('/api/analytics/summary', { params: { query: { linkId: result.link.id, interval: '24h' } } }));
    return !Array.isArray(totals) && totals.clicks === 1 && totals.leads === 1;
  });
});

test('the SDK pages through a list with X-Total-Count and reports API errors with their status', async () => {
  const hop = createHopClient({ baseUrl: gatewayUrl, apiKey, fetch: contractFetch('gateway') });
  const names = Array.from({ length: 7 }, (_, i) => `tag-${i}`);
  unwrap(await hop.POST('/api/tags', { body: names.map((name) => ({ name })) }));

  const seen: number[] = [];
  for await (const page of pages(({ take, skip }) => hop.GET('/api/tags', { params: { query: { take, skip } } }), 3)) seen.push(page.length);
  expect(seen).toEqual([3, 3, 1]);
  const all = await listAll(({ take, skip }) => hop.GET('/api/tags', { params: { query: { take, skip, sort: 'asc' } } }), 3);
  expect(all.map((t) => t.name).sort()).toEqual(names);

  const refused = await hop.POST('/api/links', { body: [{ url: 'ftp://example.com/file', collectionId: '6f1c2d9e-8a47-4c1b-9d2e-3f4a5b6c7d8e' }] });
  expect(() => unwrap(refused)).toThrow(HopApiError);
  expect(refused.response.status).toBe(400);
});
