import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { eventually, gatewayClient } from '@hop/testing';
import { loadCatalogConfig } from '../../catalog/src/config';
import { start as startCatalog } from '../../catalog/src/main';
import { loadLinkConfig } from '../../link/src/config';
import { start as startLink } from '../../link/src/main';
import { AnalyticsHarness, clickEvent, get, linkUpserted, waitForClicks, type Analytics } from './helpers';

/**
 * An upgraded deployment: links saved before links.v1 carried collections. The REAL link service
 * publishes to topics analytics does not read (another prefix), so only the backfill can tell
 * analytics which collection its links are in.
 */
const h = new AnalyticsHarness();
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let link: Awaited<ReturnType<typeof startLink>>;
const ws = randomUUID();
const RANGE = 'startDate=2024-01-09&endDate=2024-01-11';
const LINKS_GROUP = `${h.infra.topicPrefix}analytics-links`;

let first: string;
let second: string;
let linkIds: string[];

const clicksIn = async (service: Analytics, collectionId: string) => {
  const r = await get(service, `/api/analytics/summary?groupBy=count&collectionId=${collectionId}&${RANGE}`, ws);
  expect(r.status).toBe(200);
  return r.body.clicks as number;
};
const projected = async (linkId: string) =>
  (await h.sql<{ collection_id: string; version: string }>('SELECT collection_id, version FROM link_collections WHERE link_id = $1', [linkId]))[0];
const finished = async () => (await h.sql<{ done: boolean }>(`SELECT done FROM backfills WHERE name = 'link_collections'`))[0]?.done === true;

beforeAll(async () => {
  catalog = await startCatalog(loadCatalogConfig(h.infra.serviceEnv('catalog', { KAFKA_TOPIC_PREFIX: `${h.infra.topicPrefix}before-upgrade.` })));
  link = await startLink(
    loadLinkConfig(
      h.infra.serviceEnv('link', { CATALOG_URL: catalog.url, PARTNER_URL: 'http://127.0.0.1:9', KAFKA_TOPIC_PREFIX: `${h.infra.topicPrefix}before-upgrade.` }),
    ),
  );
  const context = { workspaceId: ws, plan: 'enterprise', bulkLimit: 10_000 };
  const collections = await gatewayClient(catalog.url, context)('POST', '/api/collections', [{ name: 'First' }, { name: 'Second' }]);
  expect(collections.status).toBe(201);
  [first, second] = collections.body.map((c: { id: string }) => c.id);
  const created = await gatewayClient(link.url, context)('POST', '/api/links', [
    { url: 'https://example.com/a', collectionId: first },
    { url: 'https://example.com/b', collectionId: second },
    { url: 'https://example.com/c', collectionId: first },
  ]);
  expect(created.status).toBe(201);
  linkIds = created.body.map((l: { id: string }) => l.id);
});

afterAll(async () => {
  await h.cleanup();
  await link?.close();
  await catalog?.close();
});

describe('link collections backfill', () => {
  it('does not hold up readiness while the link service is unreachable, and fills nothing then', async () => {
    const service = await h.start({ LINK_URL: 'http://127.0.0.1:9' });
    // two clicks on each link (the service creates the topics)
    await h.publishClicks(linkIds.flatMap((linkId) => [0, 1].map((i) => clickEvent(ws, { linkId, timestamp: `2024-01-10T0${i}:00:00Z` }))));
    await waitForClicks(service, ws, 6);
    expect(await clicksIn(service, first)).toBe(0);
    expect(await finished()).toBe(false);
    await h.stop(service);
  });

  it('fills link_collections from the link service once: the filtered summary counts the old links\' clicks', async () => {
    const service = await h.start({ LINK_URL: link.url });
    await eventually(finished, 30_000);
    expect(await clicksIn(service, first)).toBe(4);
    expect(await clicksIn(service, second)).toBe(2);
    const [a, b] = await Promise.all(linkIds.slice(0, 2).map(projected));
    expect(a.collection_id).toBe(first);
    expect(b.collection_id).toBe(second);

    // links.v1 after the backfill: a newer version wins, an older one does not
    await h.publishLinks([linkUpserted(ws, linkIds[0], second, Number(a.version) + 1), linkUpserted(ws, linkIds[1], first, Number(b.version) - 1)]);
    await h.caughtUp(LINKS_GROUP, 'links');
    expect(await projected(linkIds[0])).toEqual({ collection_id: second, version: String(Number(a.version) + 1) });
    expect(await projected(linkIds[1])).toEqual(b);
    expect(await clicksIn(service, second)).toBe(4);
    expect(await clicksIn(service, first)).toBe(2);
    await h.stop(service);
  });

  it('does nothing on a later start (the marker says it finished)', async () => {
    await h.sql('DELETE FROM link_collections WHERE link_id = $1', [linkIds[2]]);
    const service = await h.start({ LINK_URL: link.url });
    // a rerun starts at once (no retry delay before the first attempt): it would have put the row back by now
    await sleep(2_000);
    expect(await projected(linkIds[2])).toBeUndefined();
    expect(await clicksIn(service, first)).toBe(0);
  });
});
