import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestInfra, eventually } from '@hop/testing';
import { start as startCatalog } from '../../catalog/src/main';
import { loadCatalogConfig } from '../../catalog/src/config';
import { start as startLink } from '../../link/src/main';
import { loadLinkConfig } from '../../link/src/config';
import { start as startRedirector } from '../../redirector/src/main';
import { loadRedirectorConfig } from '../../redirector/src/config';
import { call, leadBody, saleBody, startConversion, type Json } from './support';

/**
 * The real path of a conversion: a link created through the link service (its collection in
 * the catalog service), a visitor redirected by the redirector, then a lead and a sale tracked
 * with the hoko_id the destination received. Analytics is deliberately not running: the click
 * can only be found through the redirector's Redis record.
 */
const infra = new TestInfra();
const spoolDir = mkdtempSync(path.join(os.tmpdir(), 'hop-conversion-e2e-'));
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let link: Awaited<ReturnType<typeof startLink>>;
let redirector: Awaited<ReturnType<typeof startRedirector>>;
let conversion: Awaited<ReturnType<typeof startConversion>>;

const WS = randomUUID();
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

beforeAll(async () => {
  catalog = await startCatalog(loadCatalogConfig(infra.serviceEnv('catalog')));
  link = await startLink(loadLinkConfig(infra.serviceEnv('link', { CATALOG_URL: catalog.url, PARTNER_URL: 'http://127.0.0.1:9' })));
  redirector = await startRedirector(
    loadRedirectorConfig(infra.serviceEnv('redirector', { LINK_URL: link.url, PROJECTOR_PORT: '0', CLICK_SPOOL_DIR: spoolDir })),
  );
  conversion = await startConversion(infra, { analytics: 'http://127.0.0.1:9', link: link.url });
}, 60_000);

afterAll(async () => {
  for (const service of [conversion, redirector, link, catalog]) await service?.close();
  rmSync(spoolDir, { recursive: true, force: true });
  await infra.cleanup();
});

async function createLink(): Promise<Json> {
  const collections = await call(catalog.url, 'POST', '/api/collections', { workspaceId: WS, body: [{ name: `c-${randomUUID()}` }] });
  expect(collections.status).toBe(201);
  const links = await call(link.url, 'POST', '/api/links', {
    workspaceId: WS,
    body: [{ url: 'https://example.com/pricing', collectionId: collections.body[0].id, title: 'Pricing', externalId: `ext_${randomUUID()}` }],
  });
  expect(links.status).toBe(201);
  return links.body[0];
}

/**
 * A visitor follows the short link; returns the click id the destination receives, once the
 * redirector wrote its recent-click record (right after answering the visitor).
 */
async function visit(created: Json): Promise<string> {
  const shortId = new URL(created.shortUrl).pathname.slice(1);
  const response = await fetch(`${redirector.url}/${shortId}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
  expect([301, 302]).toContain(response.status);
  const clickId = new URL(response.headers.get('location')!).searchParams.get('hoko_id');
  expect(clickId).toBeTruthy();
  const redis = infra.redis();
  try {
    await eventually(async () => (await redis.exists(`click:${clickId}`)) === 1);
  } finally {
    redis.disconnect();
  }
  return clickId!;
}

test('redirect → lead → sale, attributed to the click and answered with the link as the Links API shows it', async () => {
  const created = await createLink();
  const clickId = await visit(created);

  const lead = await call(conversion.url, 'POST', '/api/track/lead', {
    workspaceId: WS,
    body: leadBody({ clickId, customerExternalId: 'customer_e2e', customerEmail: 'john@example.com' }),
  });
  expect(lead.status).toBe(201);
  expect(lead.body.click).toEqual({ id: clickId });
  expect(lead.body.link).toMatchObject(created);

  const sale = await call(conversion.url, 'POST', '/api/track/sale', {
    workspaceId: WS,
    body: saleBody({ customerExternalId: 'customer_e2e', eventName: 'Invoice paid', metadata: { invoiceId: 'inv_123' } }),
  });
  expect(sale.status).toBe(201);
  expect(sale.body).toEqual({
    click: { id: clickId },
    link: lead.body.link,
    customer: lead.body.customer,
    sale: { amount: 12900, currency: 'usd', eventName: 'Invoice paid', metadata: { invoiceId: 'inv_123' } },
  });
});

test('a click on another workspace\'s link is refused', async () => {
  const created = await createLink();
  const clickId = await visit(created);
  const reply = await call(conversion.url, 'POST', '/api/track/lead', {
    workspaceId: randomUUID(),
    body: leadBody({ clickId, customerExternalId: 'customer_elsewhere' }),
  });
  expect(reply.status).toBe(400);
  expect(reply.body.error.en).toBe(`Click ID ${clickId} not found or does not belong to your workspace`);
});
