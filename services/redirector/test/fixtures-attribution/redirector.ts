import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type Redis from 'ioredis';
import type { TestInfra } from '@hop/testing';
import { loadRedirectorConfig } from '../../src/config';
import { start } from '../../src/main';
import { newRoute } from '../helpers';
import type { Route } from '../../src/domain/route';

/**
 * Stands in for the link service's internal lookups where a test needs no real link service:
 * `/internal/routes/:shortId` answers 404 (routes come from Redis, as the link service writes them,
 * so an unknown shortId is told apart from an outage), `/internal/links/:id` serves the links a test
 * adds, and `/internal/clicks/:id` (analytics) answers 404.
 */
export async function startPeerStandIn() {
  const links = new Map<string, { workspaceId: string; link: Record<string, unknown> }>();
  const server = http.createServer((req, res) => {
    const [, , kind, id] = (req.url ?? '').split('/');
    const found = kind === 'links' ? links.get(decodeURIComponent(id ?? '')) : undefined;
    const mine = found && found.workspaceId === req.headers['x-hop-workspace-id'];
    res
      .writeHead(mine ? 200 : 404, { 'content-type': 'application/json' })
      .end(JSON.stringify(mine ? found.link : { error: { en: 'Not found', ar: 'غير موجود' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** A link object for `route`, shaped as the Links API shows it. */
    addLink(route: Route, shortBaseUrl: string) {
      const shortUrl = `${shortBaseUrl}/${route.shortId}`;
      const link = { id: route.linkId, url: route.url, shortUrl, qrCode: `${shortBaseUrl}/qrcode?text=${encodeURIComponent(`${shortUrl}?qr=1`)}`, partnerId: route.partnerId ?? null };
      links.set(route.linkId, { workspaceId: route.workspaceId, link });
      return link;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Starts the real redirector in-process on port 0 with this file's isolation. */
export async function startRedirector(infra: TestInfra, env: Record<string, string> = {}) {
  const peers = await startPeerStandIn();
  const spoolDir = path.join(os.tmpdir(), 'hop-test-spool', infra.id);
  const running = await start(
    loadRedirectorConfig(
      infra.serviceEnv('redirector', {
        CAPTURE_SECRET: 'attribution-test-capture-secret',
        LINK_URL: peers.url,
        CLICK_SPOOL_DIR: spoolDir,
        ...env,
      }),
    ),
  );
  return {
    url: running.url,
    peers,
    close: async () => {
      await running.close();
      await peers.close();
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A fresh base62 short id, unique within the run. */
export const newShortId = () => `at${Date.now().toString(36)}${(counter++).toString(36)}`.replace(/[^A-Za-z0-9]/g, '');

/** Writes a route the way the link service does (`route:<shortId>`, schema routeSchema). */
export async function putRoute(redis: Redis, overrides: Partial<Route> & { url: string }): Promise<Route> {
  const route = newRoute({ shortId: newShortId(), partnerId: randomUUID(), tenantId: 'tenant-1', externalId: 'ext-1', ...overrides });
  await redis.set(`route:${route.shortId}`, JSON.stringify(route));
  return route;
}
