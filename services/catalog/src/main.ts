import { bootService, runMain } from '@hop/runtime';
import { loadCatalogConfig, type CatalogConfig } from './config';
import { ENTITIES } from './infra/entities';
import { MIGRATIONS } from './infra/migrations';

export function start(config: CatalogConfig) {
  return bootService({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: ENTITIES, migrations: MIGRATIONS },
    redis: config.redis,
    kafka: { ...config.kafka, topics: [{ topic: 'catalog' }], outbox: true },
    build: () => ({ routes: () => undefined }),
  });
}

if (require.main === module) runMain(() => loadCatalogConfig(), start);
