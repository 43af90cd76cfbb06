import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@hop/events';
import { gatewayClient, type GatewayCallOptions, type GatewayReply, type TestInfra } from '@hop/testing';
import { loadCatalogConfig } from '../../catalog/src/config';
import { start as startCatalog } from '../../catalog/src/main';
import { loadPartnerConfig } from '../../partner/src/config';
import { start as startPartner } from '../../partner/src/main';
import { loadLinkConfig } from '../src/config';
import { start as startLink } from '../src/main';

export const SHORT_BASE_URL = 'https://hop.test';
export const ALL_FEATURES = ['linkExpiration', 'passwordProtection', 'linkCloaking', 'deviceTargeting', 'geoTargeting'];

/** A value for each plan-gated link field, and the feature it needs. */
export const GATED_FIELDS: [field: string, value: unknown, feature: string][] = [
  ['expiresAt', '2026-12-31T23:59:00Z', 'linkExpiration'],
  ['expiredUrl', 'https://example.com/expired', 'linkExpiration'],
  ['password', 'launch', 'passwordProtection'],
  ['cloaked', true, 'linkCloaking'],
  ['ios', 'https://example.com/ios', 'deviceTargeting'],
  ['android', 'https://example.com/android', 'deviceTargeting'],
  ['geo', { SA: 'https://example.com/sa' }, 'geoTargeting'],
];

/** The link service with the REAL catalog and partner services it checks references against. */
export async function startStack(infra: TestInfra) {
  const catalog = await startCatalog(loadCatalogConfig(infra.serviceEnv('catalog')));
  const partner = await startPartner(loadPartnerConfig(infra.serviceEnv('partner')));
  const link = await startLink(
    loadLinkConfig(infra.serviceEnv('link', { CATALOG_URL: catalog.url, PARTNER_URL: partner.url, SHORT_BASE_URL })),
  );
  return {
    catalog,
    partner,
    link,
    close: async () => {
      await link.close();
      await Promise.all([catalog.close(), partner.close()]);
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

export interface WorkspaceOptions {
  features?: string[];
  bulkLimit?: number;
  linkQuota?: number;
}

/**
 * A fresh workspace (its own id, so tests never see each other's rows) with one collection, and
 * callers signed like the gateway for the link, catalog and partner services.
 */
export async function newWorkspace(stack: Stack, options: WorkspaceOptions = {}) {
  const workspaceId = randomUUID();
  const context = { workspaceId, plan: 'enterprise', features: ALL_FEATURES, bulkLimit: 10_000, ...options };
  const call = gatewayClient(stack.link.url, context);
  const catalog = gatewayClient(stack.catalog.url, context);
  const partners = gatewayClient(stack.partner.url, context);
  const created = async (reply: GatewayReply): Promise<string[]> => {
    if (reply.status !== 201) throw new Error(`setup failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.map((r: { id: string }) => r.id);
  };
  const [collectionId] = await created(await catalog('POST', '/api/collections', [{ name: 'Main' }]));
  return {
    workspaceId,
    collectionId,
    call,
    catalog,
    /** Calls the link service with this workspace but other context headers (plan features, limits). */
    callWith: (overrides: GatewayCallOptions) => (method: string, url: string, body?: unknown) => call(method, url, body, overrides),
    newCollections: async (n = 1) => created(await catalog('POST', '/api/collections', many(n, (i) => ({ name: `c${i}-${randomUUID()}` })))),
    newTags: async (n = 1) => created(await catalog('POST', '/api/tags', many(n, (i) => ({ name: `t${i}-${randomUUID()}` })))),
    newPartners: async (n = 1) => created(await partners('POST', '/api/partners', many(n, (i) => ({ name: `p${i}` })))),
    /** Creates links (each gets the workspace's collection unless given one); fails the test on error. */
    createLinks: async (items: Record<string, unknown>[]) => {
      const reply = await call('POST', '/api/links', items.map((item) => ({ collectionId, ...item })));
      if (reply.status !== 201) throw new Error(`create failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body as ApiLink[];
    },
  };
}

export type Workspace = Awaited<ReturnType<typeof newWorkspace>>;

/** The link object as the API returns it (loosely typed for tests). */
export type ApiLink = Record<string, any> & { id: string; url: string; shortUrl: string };

export const many = <T>(n: number, item: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => item(i));

export const shortIdOf = (link: ApiLink) => link.shortUrl.slice(SHORT_BASE_URL.length + 1);

/** Expects a 400 in the Hoko error shape, optionally with a detail at `path`. */
export function expectBadRequest(reply: GatewayReply, path?: string, message?: RegExp) {
  expect({ status: reply.status, error: reply.body?.error }).toEqual({ status: 400, error: { en: expect.any(String), ar: expect.any(String) } });
  if (path !== undefined) {
    const detail = (reply.body.details ?? []).find((d: { path: string }) => d.path === path);
    expect({ path, details: reply.body.details, found: Boolean(detail) }).toMatchObject({ found: true });
    if (message) expect(detail.message).toMatch(message);
  }
}

/** Reads a topic from the beginning until stopped: proof of what reached Kafka. */
export async function collectEvents(infra: TestInfra, topic: string) {
  const events: EventEnvelope[] = [];
  const consumer = infra.kafka().consumer({ groupId: `${infra.id}-probe-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      events.push({ ...JSON.parse(message.value?.toString() ?? 'null'), key: message.key?.toString() });
    },
  });
  return { events, stop: () => consumer.disconnect() };
}
