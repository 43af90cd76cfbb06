import type Redis from 'ioredis';
import { EventProducer, ensureTopics, newEvent, type EventEnvelope } from '@hop/events';
import { TestInfra, eventually } from '@hop/testing';
import { loadRedirectorConfig } from '../src/config';
import { startProjector } from '../src/projector';
import { newRoute } from './helpers';
import type { Route } from '../src/domain/route';

describe('route projector (links.v1 → Redis routes)', () => {
  const infra = new TestInfra();
  const config = loadRedirectorConfig(infra.serviceEnv('redirector', { PROJECTOR_PORT: '0' }));
  let redis: Redis;
  let subscriber: Redis;
  let producer: EventProducer;
  const invalidated: string[] = [];
  const projectors: { close(): Promise<void> }[] = [];

  const upserted = (route: Route) => newEvent('link.upserted', route.workspaceId, { route });
  const deleted = (route: Route, version: number) => newEvent('link.deleted', route.workspaceId, { linkId: route.linkId, shortId: route.shortId, version });
  const publish = (...events: EventEnvelope[]) => producer.publish('links', events, (e) => (e.data as { route?: Route; shortId?: string }).route?.shortId ?? (e.data as { shortId: string }).shortId);
  // A marker published on the route's own key lands in its partition, behind the events under test:
  // once the marker shows, they have all been applied (another key may be consumed first).
  const publishMarkerBehind = (route: Route, marker: Route) => producer.publish('links', [upserted(marker)], () => route.shortId);
  const stored = async (shortId: string) => {
    const raw = await redis.get(`route:${shortId}`);
    return raw ? (JSON.parse(raw) as Route) : null;
  };

  beforeAll(async () => {
    redis = infra.redis();
    subscriber = infra.redis();
    await subscriber.subscribe(`${infra.redisKeyPrefix}routes`);
    subscriber.on('message', (_channel, shortId: string) => invalidated.push(shortId));
    const kafka = infra.kafka();
    await ensureTopics(kafka, infra.topicPrefix, [{ topic: 'links' }, { topic: 'domains' }]);
    producer = new EventProducer(kafka, infra.topicPrefix);
    projectors.push(await startProjector(config));
  });
  afterAll(async () => {
    for (const p of projectors) await p.close();
    await producer?.disconnect();
    redis?.disconnect();
    subscriber?.disconnect();
    await infra.cleanup();
  });

  it('writes upserted routes and removes deleted ones, publishing an invalidation for each change', async () => {
    const route = newRoute({ version: 1_000 });
    await publish(upserted(route));
    expect(await eventually(() => stored(route.shortId))).toEqual(route);
    await eventually(() => invalidated.includes(route.shortId));

    const changed = { ...route, url: 'https://changed.example/', version: 2_000 };
    await publish(upserted(changed));
    await eventually(async () => (await stored(route.shortId))?.url === 'https://changed.example/');

    await publish(deleted(route, 3_000));
    await eventually(async () => (await redis.exists(`route:${route.shortId}`)) === 0);
    // the invalidation is published after the write, so it can arrive after the deletion shows
    await eventually(() => invalidated.filter((id) => id === route.shortId).length >= 3);
    expect(invalidated.filter((id) => id === route.shortId)).toHaveLength(3);
  });

  it('never replaces a newer version with an older one, nor resurrects a deleted route from an older event', async () => {
    const route = newRoute({ version: 5_000, url: 'https://v5.example/' });
    const marker = newRoute();
    await publish(
      upserted(route),
      upserted({ ...route, url: 'https://v4.example/', version: 4_000 }), // late, older
      deleted(route, 4_500), // older than what is stored
    );
    await publishMarkerBehind(route, marker);
    await eventually(() => stored(marker.shortId));
    expect((await stored(route.shortId))?.url).toBe('https://v5.example/');

    await publish(deleted(route, 6_000), upserted({ ...route, url: 'https://v5b.example/', version: 5_500 }));
    await publishMarkerBehind(route, newRoute({ shortId: marker.shortId, version: marker.version + 1, url: 'https://marker2.example/' }));
    await eventually(async () => (await stored(marker.shortId))?.url === 'https://marker2.example/');
    expect(await stored(route.shortId)).toBeNull();

    // The same short id reused later by a newer link is written.
    await publish(upserted({ ...route, url: 'https://reborn.example/', version: 7_000 }));
    await eventually(async () => (await stored(route.shortId))?.url === 'https://reborn.example/');
  });

  it('--rebuild reads links.v1 from the beginning into an emptied Redis and reports when caught up', async () => {
    const routes = [newRoute(), newRoute({ url: 'https://second.example/' })];
    const gone = newRoute();
    await publish(...routes.map(upserted), upserted(gone), deleted(gone, gone.version + 1));
    await eventually(async () => (await stored(routes[1].shortId)) !== null);

    // Redis lost its routes.
    const keys = await redis.keys(`${infra.redisKeyPrefix}route:*`);
    await redis.del(...keys.map((k) => k.slice(infra.redisKeyPrefix.length)));

    const rebuild = await startProjector(config, { rebuild: true });
    projectors.push(rebuild);
    expect(rebuild.groupId).not.toBe(`${infra.topicPrefix}redirector-route-projector`);
    await rebuild.caughtUp();
    for (const route of routes) expect(await stored(route.shortId)).toEqual(route);
    expect(await stored(gone.shortId)).toBeNull();
  });

  it('keeps routes per domain (a move included) and served domains from domains.v1, and rebuilds both', async () => {
    const routeId = (r: Route) => (r.domain ? `${r.domain}/${r.shortId}` : r.shortId);
    const publishKeyed = (...events: EventEnvelope[]) =>
      producer.publish('links', events, (e) => {
        const data = e.data as { route?: Route; shortId?: string; domain?: string | null };
        return routeId(data.route ?? ({ shortId: data.shortId, domain: data.domain ?? null } as Route));
      });
    const branded = newRoute({ shortId: 'sale', domain: 'go.brand.test', version: 2_000 });
    const onDefault = newRoute({ shortId: 'sale', version: 2_000 });
    await publishKeyed(
      upserted({ ...branded, shortId: 'old-key', version: 1_000 }),
      newEvent('link.moved', branded.workspaceId, { linkId: branded.linkId, shortId: 'old-key', domain: 'go.brand.test', version: 2_000 }),
      upserted(branded),
      upserted(onDefault),
    );
    const record = { name: 'go.brand.test', workspaceId: branded.workspaceId, rootRedirectUrl: null, notFoundUrl: 'https://brand.example/404', version: 1 };
    await producer.publish(
      'domains',
      [
        newEvent('domain.upserted', branded.workspaceId, { domain: record }),
        newEvent('domain.upserted', branded.workspaceId, { domain: { ...record, name: 'gone.brand.test' } }),
        newEvent('domain.deleted', branded.workspaceId, { name: 'gone.brand.test', version: 2 }),
      ],
      (e) => (e.data as { domain?: { name: string }; name?: string }).domain?.name ?? (e.data as { name: string }).name,
    );
    const served = async (name: string) => redis.get(`domain:${name}`);
    const check = async () => {
      expect(await stored('go.brand.test/sale')).toEqual(branded);
      expect(await stored('sale')).toEqual(onDefault);
      expect(await stored('go.brand.test/old-key')).toBeNull();
      expect(JSON.parse((await served('go.brand.test')) ?? 'null')).toEqual(record);
      expect(await served('gone.brand.test')).toBeNull();
    };
    await eventually(async () => (await stored('go.brand.test/sale')) !== null && (await served('go.brand.test')) !== null && (await served('gone.brand.test')) === null);
    await check();

    const keys = [...(await redis.keys(`${infra.redisKeyPrefix}route:*`)), ...(await redis.keys(`${infra.redisKeyPrefix}domain*`))];
    await redis.del(...keys.map((k) => k.slice(infra.redisKeyPrefix.length)));
    const rebuild = await startProjector(config, { rebuild: true });
    projectors.push(rebuild);
    await rebuild.caughtUp();
    await check();
  });
});
