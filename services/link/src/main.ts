import { runConsumer, type RunningConsumer } from '@hop/events';
import { InternalClient } from '@hop/http';
import { bootService, runMain, type Resources } from '@hop/runtime';
import type { LinkDeps } from './app/deps';
import { dropDeletedTags, TAG_CLEANUP_CONSUMER } from './app/drop-deleted-tags';
import { loadLinkConfig, type LinkConfig } from './config';
import { PasswordCipher } from './domain/password-cipher';
import { internalRoutes } from './http/internal-routes';
import { linkRoutes } from './http/link-routes';
import { peerRoutes } from './http/peer-routes';
import { LinkStore } from './infra/link-store';
import { MIGRATIONS } from './infra/migrations';
import { ReferenceLookup } from './infra/reference-lookup';
import { RouteCache } from './infra/route-cache';

export function start(config: LinkConfig) {
  const secret = config.server.internalSecret;
  return bootService({
    name: config.service,
    server: config.server,
    jsonLimit: config.jsonLimit,
    postgres: { ...config.postgres, entities: [], migrations: MIGRATIONS },
    redis: config.redis,
    kafka: { ...config.kafka, topics: [{ topic: 'links' }, { topic: 'catalog' }], outbox: true },
    build: ({ db, redis, kafka, relay, logger }: Resources) => {
      const deps: LinkDeps = {
        db,
        store: new LinkStore(),
        // ioredis prefixes keys, not pub/sub channels: the channel carries the prefix by hand.
        routes: new RouteCache(redis, `${config.redis.keyPrefix}routes`, logger),
        references: new ReferenceLookup({
          catalog: new InternalClient({ baseUrl: config.catalogUrl, secret }),
          partner: new InternalClient({ baseUrl: config.partnerUrl, secret }),
        }),
        cipher: new PasswordCipher(config.passwordEncryptionKey),
        relay,
        shortBaseUrl: config.shortBaseUrl,
      };
      let consumer: RunningConsumer | undefined;
      return {
        routes: (app) => {
          linkRoutes(app, deps);
          internalRoutes(app, deps);
          peerRoutes(app, deps, secret);
        },
        start: async () => {
          consumer = await runConsumer({
            kafka,
            // Group ids are broker-wide: the topic prefix keeps environments (and test files) apart.
            groupId: `${config.kafka.topicPrefix}${TAG_CLEANUP_CONSUMER}`,
            topic: 'catalog',
            prefix: config.kafka.topicPrefix,
            logger,
            handle: (events) => dropDeletedTags(deps, events),
          });
        },
        stop: async () => {
          await consumer?.stop();
        },
      };
    },
  });
}

if (require.main === module) runMain(() => loadLinkConfig(), start);
