import { checkConsumers, runConsumer, type RunningConsumer } from '@hop/events';
import { InternalClient } from '@hop/http';
import { bootService, runMain, type Resources } from '@hop/runtime';
import type { LinkDeps } from './app/ports';
import { dropDeletedTags, TAG_CLEANUP_CONSUMER } from './app/drop-deleted-tags';
import { checkDueDomains } from './app/check-domains';
import { loadLinkConfig, type LinkConfig } from './config';
import { PasswordCipher } from './domain/password-cipher';
import { hostnameOf } from './domain/domain-name';
import { domainRoutes } from './http/domain-routes';
import { internalRoutes } from './http/internal-routes';
import { linkRoutes } from './http/link-routes';
import { peerRoutes } from './http/peer-routes';
import { TxtLookup } from './infra/dns-txt';
import { DomainStore } from './infra/domain-store';
import { LinkStore } from './infra/link-store';
import { QrCodeRenderer, defaultQrThreads } from './infra/qr-codes';
import { MIGRATIONS } from './infra/migrations';
import { ReferenceLookup } from './infra/reference-lookup';
import { DomainCache, RouteCache } from './infra/route-cache';

/** Domains of each kind (unverified, verified) checked per periodic round (the rest wait for the next round). */
const DOMAINS_PER_CHECK = 50;

export function start(config: LinkConfig) {
  const secret = config.server.internalSecret;
  return bootService({
    name: config.service,
    server: config.server,
    jsonLimit: config.jsonLimit,
    postgres: { ...config.postgres, entities: [], migrations: MIGRATIONS },
    redis: config.redis,
    kafka: { ...config.kafka, topics: [{ topic: 'links' }, { topic: 'domains' }, { topic: 'catalog' }], outbox: true },
    build: ({ db, redis, kafka, relay, logger }: Resources) => {
      const qrCodes = new QrCodeRenderer(defaultQrThreads(), logger);
      const deps: LinkDeps = {
        db,
        store: new LinkStore(),
        // ioredis prefixes keys, not pub/sub channels: the channel carries the prefix by hand.
        routes: new RouteCache(redis, config.redis.keyPrefix, logger),
        references: new ReferenceLookup({
          catalog: new InternalClient({ baseUrl: config.catalogUrl, secret }),
          partner: new InternalClient({ baseUrl: config.partnerUrl, secret }),
        }),
        cipher: new PasswordCipher(config.passwordEncryptionKey),
        relay,
        bases: { shortBaseUrl: config.shortBaseUrl, domainScheme: config.domainUrlScheme },
        domains: new DomainStore(),
        domainCache: new DomainCache(redis, config.redis.keyPrefix, logger),
        txt: new TxtLookup(config.dnsServers, config.dnsTimeoutMs),
        ownHosts: [...new Set([hostnameOf(config.shortBaseUrl), hostnameOf(config.apiBaseUrl)])],
        qrCodes,
      };
      let consumer: RunningConsumer | undefined;
      let checker: NodeJS.Timeout | undefined;
      const checkDomains = () => {
        void checkDueDomains(deps, config.domainChecks, DOMAINS_PER_CHECK).catch((err: unknown) => logger.warn({ err }, 'periodic domain check failed; next round retries'));
      };
      return {
        routes: (app) => {
          linkRoutes(app, deps);
          domainRoutes(app, deps);
          internalRoutes(app, deps);
          peerRoutes(app, deps, secret);
        },
        readiness: { consumers: () => checkConsumers([consumer]) },
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
          const { unverifiedIntervalMs, recheckIntervalMs } = config.domainChecks;
          if (unverifiedIntervalMs > 0) {
            // Rounds every tenth of the shorter interval: each claims only domains unchecked for a whole interval.
            const shortest = recheckIntervalMs > 0 ? Math.min(unverifiedIntervalMs, recheckIntervalMs) : unverifiedIntervalMs;
            checker = setInterval(checkDomains, Math.max(1_000, shortest / 10));
            checker.unref();
          }
        },
        stop: async () => {
          clearInterval(checker);
          await consumer?.stop();
          await qrCodes.close();
        },
      };
    },
  });
}

if (require.main === module) runMain(() => loadLinkConfig(), start);
