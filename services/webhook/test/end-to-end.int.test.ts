import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestInfra, eventually } from '@hop/testing';
import { start as startCatalog } from '../../catalog/src/main';
import { loadCatalogConfig } from '../../catalog/src/config';
import { start as startConversion } from '../../conversion/src/main';
import { loadConversionConfig } from '../../conversion/src/config';
import { startGateway, type GatewayHarness } from '../../gateway/test/harness';
import { start as startLink } from '../../link/src/main';
import { loadLinkConfig } from '../../link/src/config';
import { start as startRedirector } from '../../redirector/src/main';
import { loadRedirectorConfig } from '../../redirector/src/config';
import { Receiver, devWebhookEnv, startWebhook, type Json, type Received } from './support';

/**
 * Every event type from the real action, through the gateway: links created, updated and
 * deleted with the Links API, a visitor redirected by the redirector, a lead and a sale
 * tracked. Receivers verify every signature with the standardwebhooks library; filters by
 * collection and link, and isolation between workspaces, are checked on the same traffic.
 */
const infra = new TestInfra();
const spoolDir = mkdtempSync(path.join(os.tmpdir(), 'hop-webhook-e2e-'));
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let link: Awaited<ReturnType<typeof startLink>>;
let redirector: Awaited<ReturnType<typeof startRedirector>>;
let conversion: Awaited<ReturnType<typeof startConversion>>;
let webhook: Awaited<ReturnType<typeof startWebhook>>;
let gw: GatewayHarness;
const everything = new Receiver();
const byCollection = new Receiver();
const byLink = new Receiver();
const otherWorkspace = new Receiver();

beforeAll(async () => {
  for (const r of [everything, byCollection, byLink, otherWorkspace]) await r.up();
  catalog = await startCatalog(loadCatalogConfig(infra.serviceEnv('catalog')));
  link = await startLink(loadLinkConfig(infra.serviceEnv('link', { CATALOG_URL: catalog.url, PARTNER_URL: 'http://127.0.0.1:9' })));
  redirector = await startRedirector(
    loadRedirectorConfig(infra.serviceEnv('redirector', { LINK_URL: link.url, PROJECTOR_PORT: '0', CLICK_SPOOL_DIR: spoolDir })),
  );
  conversion = await startConversion(loadConversionConfig(infra.serviceEnv('conversion', { ANALYTICS_URL: 'http://127.0.0.1:9', LINK_URL: link.url })));
  webhook = await startWebhook(infra, devWebhookEnv({ LINK_URL: link.url }));
  gw = await startGateway(infra, {}, { link: link.url, catalog: catalog.url, conversion: conversion.url, webhook: webhook.url });
}, 120_000);

afterAll(async () => {
  for (const service of [gw, webhook, conversion, redirector, link, catalog]) await service?.close();
  for (const r of [everything, byCollection, byLink, otherWorkspace]) await r.down();
  rmSync(spoolDir, { recursive: true, force: true });
  await infra.cleanup();
});

async function expectStatus(reply: Promise<{ status: number; body: Json }>, status: number): Promise<Json> {
  const { status: got, body } = await reply;
  if (got !== status) throw new Error(`expected ${status}, got ${got}: ${JSON.stringify(body)}`);
  return body;
}

/** Every request a receiver got was signed with a secret it knows, per standardwebhooks. */
const allVerified = (r: Receiver) => r.received.every((got: Received) => got.verifiedWith.length === 1);

test('link, click, lead and sale events reach the subscriptions that want them, signed, with what a receiver needs', async () => {
  const ws = await gw.createWorkspace({ plan: 'business' });
  const { key } = await gw.createKey(ws, { scopes: ['linksWrite', 'linksRead', 'collectionsWrite', 'conversionsWrite', 'webhooksRead', 'webhooksWrite'] });
  const other = await gw.createWorkspace();
  const { key: otherKey } = await gw.createKey(other);
  const api = (method: string, p: string, body?: unknown, as = key) => gw.call(method, p, { key: as, body });

  const [inX, inY] = await expectStatus(api('POST', '/api/collections', [{ name: 'X' }, { name: 'Y' }]), 201);
  const subscribe = async (receiver: Receiver, item: Json, as = key) => {
    const [created] = await expectStatus(api('POST', '/api/webhooks', [{ name: 'hook', url: receiver.url, ...item }], as), 201);
    receiver.secrets.add(created.secret);
    return created;
  };
  await subscribe(everything, { events: ['link.created', 'link.updated', 'link.deleted', 'link.clicked', 'lead.created', 'sale.created'] });
  await subscribe(byCollection, { events: ['link.clicked', 'lead.created'], collectionIds: [inX.id] });
  await subscribe(otherWorkspace, { events: ['link.created', 'link.clicked'] }, otherKey);

  const [first, second] = await expectStatus(
    api('POST', '/api/links', [
      { url: 'https://shop.example/pricing', collectionId: inX.id, title: 'Pricing', password: 'secret-pass-1' },
      { url: 'https://shop.example/blog', collectionId: inY.id },
    ]),
    201,
  );
  await subscribe(byLink, { events: ['link.clicked'], linkIds: [second.id] });
  const [updated] = await expectStatus(api('PUT', '/api/links', [{ id: first.id, title: 'Pricing 2026', password: null }]), 200);

  // a visitor follows both links
  const clickIds: string[] = [];
  for (const created of [first, second]) {
    const shortId = new URL(created.shortUrl).pathname.slice(1);
    const visit = await fetch(`${redirector.url}/${shortId}`, { redirect: 'manual', headers: { 'user-agent': BROWSER, referer: 'https://news.example/' } });
    expect(visit.status).toBe(302);
    clickIds.push(new URL(visit.headers.get('location')!).searchParams.get('hoko_id')!);
  }
  const redis = infra.redis();
  try {
    await eventually(async () => (await redis.exists(`click:${clickIds[0]}`)) === 1);
  } finally {
    redis.disconnect();
  }
  const lead = await expectStatus(
    api('POST', '/api/track/lead', { clickId: clickIds[0], eventName: 'Sign up', customerExternalId: 'cust_e2e', customerName: 'Jane Roe', customerEmail: 'jane@example.com' }),
    201,
  );
  const sale = await expectStatus(
    api('POST', '/api/track/sale', { customerExternalId: 'cust_e2e', customerName: 'Jane Roe', amount: 4900, currency: 'usd', eventName: 'Purchase' }),
    201,
  );
  await expectStatus(api('DELETE', '/api/links', [second.id]), 200);

  const types = ['link.created', 'link.updated', 'link.deleted', 'link.clicked', 'lead.created', 'sale.created'];
  await eventually(() => {
    const counts = Object.fromEntries(types.map((t) => [t, everything.ofType(t).length]));
    // thrown, so a timeout says which events did not arrive
    if (counts['link.created'] !== 2 || counts['link.clicked'] !== 2 || types.some((t) => counts[t] === 0)) throw new Error(`received ${JSON.stringify(counts)}`);
    return true;
  }, 60_000);
  expect(allVerified(everything)).toBe(true);
  const { password: _password, ...firstWithoutPassword } = first;
  const { password: _p2, ...updatedWithoutPassword } = updated;

  const created = everything.ofType('link.created', (b) => b.data.link.id === first.id)[0]!.body;
  expect(created.data.link).toMatchObject({ ...firstWithoutPassword, updatedAt: expect.any(String), title: expect.any(String), passwordProtected: expect.any(Boolean) });
  expect(created.data.link).not.toHaveProperty('password');
  expect(everything.ofType('link.updated')[0]!.body.data.link).toMatchObject({ ...updatedWithoutPassword, passwordProtected: false });
  const deleted = everything.ofType('link.deleted')[0]!.body.data.link;
  expect(deleted).toMatchObject({ id: second.id, deletedAt: expect.any(String) });

  const click = everything.ofType('link.clicked', (b) => b.data.click.id === clickIds[0])[0]!.body;
  expect(click.data.click).toMatchObject({
    id: clickIds[0],
    linkId: first.id,
    shortId: new URL(first.shortUrl).pathname.slice(1),
    referrer: 'https://news.example/',
    browserName: 'Chrome',
    osName: 'Windows',
    deviceType: 'desktop',
    qr: false,
    bot: false,
    createdAt: expect.any(String),
  });
  expect(click.data.click.destination).toContain(`hoko_id=${clickIds[0]}`);
  expect(click.data.link).toMatchObject({ id: first.id, collectionId: inX.id, url: 'https://shop.example/pricing' });

  const leadBody = everything.ofType('lead.created')[0]!.body.data;
  const { password: _p3, ...leadLink } = lead.link;
  expect(leadBody).toMatchObject({ click: lead.click, customer: lead.customer, lead: lead.lead, link: { ...leadLink, passwordProtected: false } });
  const saleBody = everything.ofType('sale.created')[0]!.body.data;
  expect(saleBody).toMatchObject({ click: sale.click, customer: sale.customer, sale: sale.sale, link: { id: first.id } });
  expect(saleBody.customer).toMatchObject({ name: 'Jane Roe', email: 'jane@example.com', externalId: 'cust_e2e' });

  // filters: collection X sees the first link's click and lead only; the link filter only the second link's click
  await eventually(() => byCollection.events().length >= 2 && byLink.events().length >= 1);
  expect(byCollection.events().map((r) => [r.body.type, r.body.data.link.id]).sort()).toEqual([
    ['lead.created', first.id],
    ['link.clicked', first.id],
  ]);
  expect(byLink.events().map((r) => [r.body.type, r.body.data.click.id])).toEqual([['link.clicked', clickIds[1]]]);
  expect(allVerified(byCollection) && allVerified(byLink)).toBe(true);

  // the other workspace hears about its own link only
  const [theirs] = await expectStatus(api('POST', '/api/collections', [{ name: 'Theirs' }], otherKey), 201);
  const [theirLink] = await expectStatus(api('POST', '/api/links', [{ url: 'https://other.example/', collectionId: theirs.id }], otherKey), 201);
  await eventually(() => otherWorkspace.ofType('link.created').length === 1);
  expect(otherWorkspace.events().map((r) => r.body.data.link.id)).toEqual([theirLink.id]);

  // every delivery is in the log, through the gateway (webhooksRead)
  const [everythingSub] = (await api('GET', '/api/webhooks?sort=asc')).body;
  const log = await api('GET', `/api/webhooks/${everythingSub.id}/deliveries?state=delivered&take=100`);
  expect(log.status).toBe(200);
  expect(Number(log.headers.get('x-total-count'))).toBe(everything.events().length);
});

test('the gateway asks for the webhook scopes', async () => {
  const ws = await gw.createWorkspace();
  const { key } = await gw.createKey(ws, { scopes: ['linksRead'] });
  const list = await gw.call('GET', '/api/webhooks', { key });
  expect(list.status).toBe(403);
  expect(list.body.missingScopes).toEqual(['webhooksRead']);
  const test = await gw.call('POST', `/api/webhooks/${randomUUID()}/test`, { key, body: {} });
  expect(test.body.missingScopes).toEqual(['webhooksWrite']);
});
