import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { TestInfra, eventually, gatewayClient } from '@hop/testing';
import { loadCatalogConfig } from '../../catalog/src/config';
import { start as startCatalog } from '../../catalog/src/main';
import { loadLinkConfig } from '../../link/src/config';
import { start as startLink } from '../../link/src/main';
import { loadPartnerConfig } from '../../partner/src/config';
import { start as startPartner } from '../../partner/src/main';
import { loadRedirectorConfig } from '../src/config';
import { startProjector } from '../src/projector';
import { PrivateRedis, clickIdOf, collectClicks, request, startRedirector, type Redirector } from './helpers';

const SHORT_BASE_URL = 'https://hop.test';
const FEATURES = ['linkExpiration', 'passwordProtection', 'linkCloaking', 'deviceTargeting', 'geoTargeting'];

/**
 * End to end with the real link service: links created, changed and deleted through its API, and a
 * Redis (of this file's own) that loses its data and comes back.
 */
describe('redirector with the link service', () => {
  const infra = new TestInfra();
  const privateRedis = new PrivateRedis();
  const services: { close(): Promise<void> }[] = [];
  let redirector: Redirector;
  let redis: Redis;
  let clicks: Awaited<ReturnType<typeof collectClicks>>;
  let call: ReturnType<typeof gatewayClient>;
  let collectionId: string;
  let deletedShortId: string;

  const createLink = async (item: Record<string, unknown>) => {
    const reply = await call('POST', '/api/links', [{ collectionId, ...item }]);
    if (reply.status !== 201) throw new Error(`create failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    const link = reply.body[0] as { id: string; shortUrl: string; url: string };
    return { ...link, shortId: link.shortUrl.slice(SHORT_BASE_URL.length + 1) };
  };
  const visit = (shortId: string) => request(redirector.url, `/${shortId}`);
  const destinationHost = async (shortId: string) => {
    const reply = await visit(shortId);
    return reply.status === 302 ? new URL(String(reply.headers.location)).host : reply.status;
  };

  beforeAll(async () => {
    await privateRedis.start();
    const shared = { REDIS_URL: privateRedis.url };
    const catalog = await startCatalog(loadCatalogConfig(infra.serviceEnv('catalog')));
    const partner = await startPartner(loadPartnerConfig(infra.serviceEnv('partner')));
    const link = await startLink(loadLinkConfig(infra.serviceEnv('link', { ...shared, CATALOG_URL: catalog.url, PARTNER_URL: partner.url, SHORT_BASE_URL })));
    services.push(link, catalog, partner);
    // A long cache TTL: changes must arrive through the invalidation channel.
    redirector = await startRedirector(infra, { ...shared, LINK_URL: link.url, ROUTE_CACHE_TTL_MS: '600000' });
    services.unshift(redirector);
    redis = new Redis(privateRedis.url, { keyPrefix: infra.redisKeyPrefix, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    clicks = await collectClicks(infra.kafka(), infra.topicPrefix);

    const context = { workspaceId: randomUUID(), plan: 'enterprise', features: FEATURES, bulkLimit: 10_000 };
    call = gatewayClient(link.url, context);
    const created = await gatewayClient(catalog.url, context)('POST', '/api/collections', [{ name: 'Main' }]);
    collectionId = created.body[0].id;
  }, 120_000);
  afterAll(async () => {
    await clicks?.stop();
    for (const service of services) await service.close().catch(() => undefined);
    redis?.disconnect();
    await privateRedis.stop();
    await infra.cleanup();
  }, 60_000);

  it('redirects a link created through the API at once, and records its click', async () => {
    const link = await createLink({ url: 'https://created.example/welcome', utm: { source: 'api' } });
    const reply = await visit(link.shortId);
    expect(reply.status).toBe(302);
    const location = new URL(String(reply.headers.location));
    expect(location.host).toBe('created.example');
    expect(location.searchParams.get('utm_source')).toBe('api');
    const event = await eventually(() => clicks.byClickId(clickIdOf(reply)!));
    expect(event.key).toBe(link.id);
    expect(event.event.data.linkId).toBe(link.id);
  });

  it('checks a password set through the API (the link service hashes, the redirector verifies)', async () => {
    const link = await createLink({ url: 'https://locked.example/', password: 'launch' });
    expect((await visit(link.shortId)).status).toBe(200);
    const post = (password: string) =>
      request(redirector.url, `/${link.shortId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ password }).toString(),
      });
    expect((await post('lunch')).status).toBe(401);
    const right = await post('launch');
    expect(right.status).toBe(303);
    expect(new URL(String(right.headers.location)).host).toBe('locked.example');
  });

  it('follows an update at once and 404s a deleted link at once', async () => {
    const link = await createLink({ url: 'https://first.example/' });
    expect(await destinationHost(link.shortId)).toBe('first.example'); // now cached in the redirector
    const updated = await call('PUT', '/api/links', [{ id: link.id, url: 'https://second.example/', collectionId }]);
    expect(updated.status).toBe(200);
    expect(await destinationHost(link.shortId)).toBe('second.example');

    const deleted = await call('DELETE', '/api/links', [link.id]);
    expect(deleted.status).toBe(200);
    deletedShortId = link.shortId;
    const gone = await visit(link.shortId);
    expect(gone.status).toBe(404);
    expect(gone.body).toContain('Link not found');
    expect((await visit('NoSuchId')).status).toBe(404);
  });

  it('asks the link service when Redis misses (lost route), and keeps redirecting while Redis is down', async () => {
    const lost = await createLink({ url: 'https://lost.example/' });
    await redis.del(`route:${lost.shortId}`);
    expect(await redis.exists(`route:${lost.shortId}`)).toBe(0);
    expect(await destinationHost(lost.shortId)).toBe('lost.example');

    const cached = await createLink({ url: 'https://cached.example/' });
    const uncached = await createLink({ url: 'https://uncached.example/' });
    expect(await destinationHost(cached.shortId)).toBe('cached.example');

    await privateRedis.stop();
    const during = [await visit(cached.shortId), await visit(uncached.shortId), await visit(cached.shortId)];
    expect(during.map((r) => new URL(String(r.headers.location)).host)).toEqual(['cached.example', 'uncached.example', 'cached.example']);
    expect((await visit('NoSuchId2')).status).toBe(404);
    // Clicks still reach Kafka (only the recent-click Redis records are missing).
    for (const reply of during) await eventually(() => clicks.byClickId(clickIdOf(reply)!));

    // Redis comes back empty; a rebuild from links.v1 restores every live route, not the deleted ones.
    await privateRedis.start();
    await eventually(() => redis.ping().then((r) => r === 'PONG'), 10_000);
    expect(await redis.exists(`route:${cached.shortId}`)).toBe(0);
    const rebuild = await startProjector(loadRedirectorConfig(infra.serviceEnv('redirector', { REDIS_URL: privateRedis.url })), { rebuild: true });
    services.push(rebuild);
    await rebuild.caughtUp();
    for (const link of [lost, cached, uncached]) {
      await eventually(async () => JSON.parse((await redis.get(`route:${link.shortId}`)) ?? 'null')?.url === link.url);
    }
    expect(await redis.exists(`route:${deletedShortId}`)).toBe(0);
    expect(await destinationHost(uncached.shortId)).toBe('uncached.example');
  }, 60_000);
});
