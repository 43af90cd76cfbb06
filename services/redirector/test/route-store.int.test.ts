import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Redis from 'ioredis';
import { createLogger } from '@hop/telemetry';
import { TestInfra } from '@hop/testing';
import { RouteStore } from '../src/infra/route-store';
import { newRoute } from './helpers';

/** The lookup chain on its own, against real Redis and a slow stand-in for the link service's route lookup. */
describe('RouteStore', () => {
  const infra = new TestInfra();
  let redis: Redis;
  let linkService: http.Server;
  let linkUrl: string;
  const slowRoutes = new Map<string, unknown>();

  beforeAll(async () => {
    redis = infra.redis();
    linkService = http.createServer((req, res) => {
      const shortId = decodeURIComponent(String(req.url).split('/').pop() ?? '');
      setTimeout(() => {
        const route = slowRoutes.get(shortId);
        res.writeHead(route ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(route ?? { error: {} }));
      }, 50);
    });
    await new Promise<void>((resolve) => linkService.listen(0, '127.0.0.1', resolve));
    linkUrl = `http://127.0.0.1:${(linkService.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    redis?.disconnect();
    await new Promise((r) => linkService.close(r));
    await infra.cleanup();
  });

  const store = () =>
    new RouteStore({ redis, linkUrl, internalSecret: 'test-internal-secret-0123456789', ttlMs: 60_000, missTtlMs: 60_000, max: 100, lookupTimeoutMs: 500, logger: createLogger('t', 'silent') });

  it('restarts a lookup interrupted by an invalidation and returns the current route', async () => {
    const routes = store();
    const route = newRoute();
    const pending = routes.get(route.shortId); // Redis misses: the slow link service is asked
    await new Promise((r) => setTimeout(r, 10));
    await redis.set(`route:${route.shortId}`, JSON.stringify(route));
    routes.invalidate(route.shortId);
    expect(await pending).toEqual(route);
  });

  it('answers from Redis, then the link service on a miss, and caches unknown short ids until invalidated', async () => {
    const routes = store();
    const inRedis = newRoute();
    await redis.set(`route:${inRedis.shortId}`, JSON.stringify(inRedis));
    const onlyInLinkService = newRoute();
    slowRoutes.set(onlyInLinkService.shortId, onlyInLinkService);
    expect(await routes.get(inRedis.shortId)).toEqual(inRedis);
    expect(await routes.get(onlyInLinkService.shortId)).toEqual(onlyInLinkService);

    const later = newRoute();
    expect(await routes.get(later.shortId)).toBeNull();
    await redis.set(`route:${later.shortId}`, JSON.stringify(later));
    expect(await routes.get(later.shortId)).toBeNull(); // the miss is cached
    routes.invalidate(later.shortId);
    expect(await routes.get(later.shortId)).toEqual(later);
  });

  it('ignores an invalid route in Redis (schema) and asks the link service', async () => {
    const routes = store();
    const route = newRoute();
    await redis.set(`route:${route.shortId}`, JSON.stringify({ ...route, redirectType: 307 }));
    slowRoutes.set(route.shortId, route);
    expect(await routes.get(route.shortId)).toEqual(route);
  });
});
