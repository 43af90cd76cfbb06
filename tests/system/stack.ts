import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestInfra } from '@hop/testing';
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
import { start as startWebhook } from '../../services/webhook/src/main';
import { loadWebhookConfig } from '../../services/webhook/src/config';

const ADMIN_TOKEN = 'system-test-admin-token-0123456789';
export const SERVICES = ['gateway', 'link', 'catalog', 'partner', 'analytics', 'conversion', 'redirector', 'webhook'] as const;
export type ServiceName = (typeof SERVICES)[number];
type Running = { url: string; close(): Promise<void> };

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/**
 * Every Hop service started in this process and wired to each other as in production (gateway →
 * services, link → catalog/partner, conversion → analytics/link, redirector and webhook → link), on this test
 * file's own databases, Redis prefix and Kafka topics.
 */
export async function startStack(infra: TestInfra) {
  const spoolDir = mkdtempSync(path.join(os.tmpdir(), 'hop-system-'));
  const env = (db: string, extra: Record<string, string> = {}) => infra.serviceEnv(db, extra);
  const [catalog, partner, analytics] = await Promise.all([
    startCatalog(loadCatalogConfig(env('catalog'))),
    startPartner(loadPartnerConfig(env('partner'))),
    startAnalytics(loadAnalyticsConfig(env('analytics'))),
  ]);
  const link = await startLink(loadLinkConfig(env('link', { CATALOG_URL: catalog.url, PARTNER_URL: partner.url })));
  const [conversion, redirector, webhook] = await Promise.all([
    startConversion(loadConversionConfig(env('conversion', { ANALYTICS_URL: analytics.url, LINK_URL: link.url }))),
    startRedirector(loadRedirectorConfig(env('redirector', { LINK_URL: link.url, PROJECTOR_PORT: '0', CLICK_SPOOL_DIR: spoolDir }))),
    startWebhook(loadWebhookConfig(env('webhook', { LINK_URL: link.url }))),
  ]);
  const gateway = await startGateway(
    loadGatewayConfig(
      env('gateway', {
        ADMIN_TOKEN,
        LINK_URL: link.url,
        CATALOG_URL: catalog.url,
        PARTNER_URL: partner.url,
        ANALYTICS_URL: analytics.url,
        CONVERSION_URL: conversion.url,
        WEBHOOK_URL: webhook.url,
      }),
    ),
  );
  const running: Record<ServiceName, Running> = { gateway, link, catalog, partner, analytics, conversion, redirector, webhook };

  async function request(base: string, method: string, url: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
    const response = await fetch(base + url, { method, headers: options.headers, body: options.body, redirect: 'manual' });
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      // a live stream (GET /api/analytics/live) never ends: its answer is its status and headers
      await response.body?.cancel();
      return { status: response.status, headers: response.headers, text: '', body: undefined };
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, text, body };
  }

  /** A JSON call to the gateway's public API with an API key. */
  const api = (key: string, method: string, url: string, body?: unknown) =>
    request(gateway.url, method, url, {
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** A new workspace (no practical rate limit) and an all-scopes key of it. */
  async function workspaceWithKey(): Promise<{ workspaceId: string; key: string }> {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const ws = await request(gateway.url, 'POST', '/admin/workspaces', { headers: admin, body: JSON.stringify({ name: 'System test', rateLimit: 1_000_000 }) });
    if (ws.status !== 201) throw new Error(`workspace not created: ${ws.text}`);
    const key = await request(gateway.url, 'POST', `/admin/workspaces/${ws.body.id}/keys`, {
      headers: admin,
      body: JSON.stringify({ name: 'system test', allScopes: true }),
    });
    if (key.status !== 201) throw new Error(`key not created: ${key.text}`);
    return { workspaceId: ws.body.id, key: key.body.key };
  }

  return {
    running,
    request,
    api,
    workspaceWithKey,
    async close() {
      // The gateway first: nothing new reaches the services while they stop.
      await gateway.close();
      await Promise.all([conversion.close(), redirector.close(), webhook.close()]);
      await link.close();
      await Promise.all([catalog.close(), partner.close(), analytics.close()]);
      rmSync(spoolDir, { recursive: true, force: true });
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
