import { bootService, runMain } from '@hop/runtime';
import { loadPartnerConfig, type PartnerConfig } from './config';
import { ENTITIES } from './infra/entities';
import { MIGRATIONS } from './infra/migrations';

export function start(config: PartnerConfig) {
  return bootService({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: ENTITIES, migrations: MIGRATIONS },
    redis: config.redis,
    kafka: { ...config.kafka, topics: [], outbox: false },
    build: () => ({ routes: () => undefined }),
  });
}

if (require.main === module) runMain(() => loadPartnerConfig(), start);
