import { clickIdKey } from '@hop/events';
import { InternalClient } from '@hop/http';
import { bootService, runMain, type Resources } from '@hop/runtime';
import { conversionRoutes } from './http/routes';
import { loadConversionConfig, type ConversionConfig } from './config';
import { ClickDirectory } from './infra/click-directory';
import { conversionAccess } from './infra/conversion-store';
import { LinkDirectory } from './infra/link-directory';
import { MIGRATIONS } from './infra/migrations';

export function start(config: ConversionConfig) {
  const secret = config.server.internalSecret;
  return bootService<Resources>({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: [], migrations: MIGRATIONS },
    redis: config.redis,
    kafka: { ...config.kafka, topics: [{ topic: 'conversions' }], outbox: true },
    build: ({ db, redis, relay, logger }) => {
      const links = new LinkDirectory(new InternalClient({ baseUrl: config.linkUrl, secret }));
      const analytics = new InternalClient({ baseUrl: config.analyticsUrl, secret });
      return {
        routes: conversionRoutes({
          store: conversionAccess(db),
          clicks: new ClickDirectory({ redis, analytics, linkOf: (caller, linkId) => links.get(caller, linkId), clickIdKey: clickIdKey(secret), logger }),
          links,
          eventsCommitted: () => relay.wake(),
        }),
      };
    },
  });
}

if (require.main === module) runMain(() => loadConversionConfig(), start);
