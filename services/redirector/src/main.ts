import type Redis from 'ioredis';
import { createKafka } from '@hop/events';
import { bootService, createRedis, runMain, type Resources } from '@hop/runtime';
import { collectDefaultMetrics } from '@hop/telemetry';
import { attributionHandlers } from './attribution';
import { createClickRecorder, ipHasher } from './app/click-recorder';
import { createServeLink } from './app/serve-link';
import { loadRedirectorConfig, type RedirectorConfig } from './config';
import { createLinkHandler } from './http/link-handler';
import { createRouter } from './http/router';
import { createAttemptLimiter } from './infra/attempt-limiter';
import { ClickPipeline } from './infra/click-pipeline';
import { signedClickIds } from './infra/click-ids';
import { createGeoLocator } from './infra/geo';
import { KafkaSender } from './infra/kafka-sender';
import { DomainStore, RouteStore, subscribeToInvalidations } from './infra/route-store';
import { createHostClassifier } from './domain/host';
import { Spool } from './infra/spool';

/** Waits for `promise` at most `ms` (start-up goes on without Redis: lookups fall back). */
const atMost = (promise: Promise<unknown>, ms: number) => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
};
const ready = (redis: Redis) => (redis.status === 'ready' ? Promise.resolve() : new Promise((resolve) => redis.once('ready', resolve)));

export async function start(config: RedirectorConfig) {
  collectDefaultMetrics();
  let pipeline!: ClickPipeline;
  let routes!: RouteStore;
  const running = await bootService({
    name: config.service,
    server: config.server,
    build: async ({ logger }: Pick<Resources, 'logger'>) => {
      // Hot-path client: no offline queue and a command timeout, so a down or stuck Redis fails
      // fast and lookups fall back to the link service instead of stalling requests.
      const redis = createRedis(config.redis, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: config.routeCache.lookupTimeoutMs,
        retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
      });
      const subscriber = createRedis(config.redis, { maxRetriesPerRequest: null, retryStrategy: (attempt) => Math.min(attempt * 100, 1_000) });
      for (const client of [redis, subscriber]) client.on('error', (err) => logger.debug({ err: err.message }, 'redis connection error'));

      const storeOptions = {
        redis,
        linkUrl: config.linkUrl,
        internalSecret: config.server.internalSecret,
        ttlMs: config.routeCache.ttlMs,
        missTtlMs: config.routeCache.missTtlMs,
        max: config.routeCache.max,
        lookupTimeoutMs: config.routeCache.lookupTimeoutMs,
        logger,
      };
      routes = new RouteStore(storeOptions);
      const domains = new DomainStore(storeOptions);
      // Without an offline queue, commands fail until connected; invalidations must be live before serving.
      await atMost(Promise.all([ready(redis), subscribeToInvalidations(subscriber, config.redis.keyPrefix, routes, logger, domains)]), 2_000);

      pipeline = new ClickPipeline({
        kafka: createKafka(config.kafka, logger),
        sender: new KafkaSender({
          brokers: config.kafka.brokers,
          clientId: config.kafka.clientId,
          eventCheck: config.clicks.eventCheck,
          recentClicks: config.redis,
          logger,
        }),
        topicPrefix: config.kafka.topicPrefix,
        spool: new Spool(config.clicks.spoolDir, logger),
        batchSize: config.clicks.batchSize,
        lingerMs: config.clicks.lingerMs,
        bufferMax: config.clicks.bufferMax,
        eventCheck: config.clicks.eventCheck,
        logger,
      });
      const hashIp = ipHasher(config.ipHashSecret);
      const clicks = createClickRecorder({ hashIp, sink: pipeline, clickIds: signedClickIds(config.server.internalSecret) });
      const serveLink = createServeLink({
        routes,
        clicks,
        hashIp,
        attempts: createAttemptLimiter({ redis, maxAttempts: config.password.maxAttempts, windowS: config.password.windowS, logger }),
      });
      const linkHealthy = () =>
        fetch(new URL('/healthz', config.linkUrl), { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);

      const geoOf = createGeoLocator(config.geo);
      return {
        handler: createRouter({
          handleLink: createLinkHandler({
            serveLink,
            geoOf,
            shortBaseUrl: config.shortBaseUrl,
            domainScheme: config.domainUrlScheme,
            clientIpHeader: config.clientIpHeader,
            visitorCookie: config.visitorCookie,
            passwordBodyLimit: config.password.bodyLimit,
          }),
          attribution: attributionHandlers({ config, geoOf, routes, domains, clicks, redis, logger }),
          domainOf: createHostClassifier([new URL(config.shortBaseUrl).hostname]),
          domains,
          // Ready when routes can be resolved: from Redis, or else from the link service.
          readiness: async () => {
            const [redisOk, linkOk] = await Promise.all([redis.ping().then(() => true, () => false), linkHealthy()]);
            return { ready: redisOk || linkOk, checks: { redis: redisOk, linkService: linkOk, clicks: pipeline.backlog() } };
          },
          logger,
        }),
        start: () => Promise.resolve(pipeline.start()),
        // SIGTERM: the server stopped taking requests; now every recorded click goes to Kafka or the spool.
        stop: async () => {
          await pipeline.stop(config.clicks.flushTimeoutMs);
          redis.disconnect();
          subscriber.disconnect();
        },
      };
    },
  });
  return Object.assign(running, { clicks: pipeline, routes });
}

if (require.main === module) runMain(() => loadRedirectorConfig(), start);
