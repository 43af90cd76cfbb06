import { bootService, runMain, type Resources } from '@hop/runtime';
import { loadPartnerConfig, type PartnerConfig } from './config';
import { partnerRoutes } from './http/routes';
import { MIGRATIONS } from './infra/migrations';
import { PartnerTableAccess } from './infra/partner-table';

export function start(config: PartnerConfig) {
  return bootService<Pick<Resources, 'db'>>({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: [], migrations: MIGRATIONS },
    redis: config.redis,
    kafka: { ...config.kafka, topics: [], outbox: false },
    // A full batch (10,000 partners) is far above the default 1 MB.
    jsonLimit: '16mb',
    build: ({ db }) => ({ routes: partnerRoutes(new PartnerTableAccess(db)) }),
  });
}

if (require.main === module) runMain(() => loadPartnerConfig(), start);
