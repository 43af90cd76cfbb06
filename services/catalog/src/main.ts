import { bootService, runMain, type Resources } from '@hop/runtime';
import { collectionResource, tagResource } from './app/resources';
import { loadCatalogConfig, type CatalogConfig } from './config';
import { catalogRoutes } from './http/routes';
import { MIGRATIONS } from './infra/migrations';
import { TableAccess } from './infra/table-access';
import { COLLECTIONS_TABLE, TAGS_TABLE } from './infra/tables';

export function start(config: CatalogConfig) {
  return bootService<Pick<Resources, 'db' | 'relay'>>({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: [], migrations: MIGRATIONS },
    redis: config.redis,
    kafka: { ...config.kafka, topics: [{ topic: 'catalog' }], outbox: true },
    // A full batch (10,000 records with descriptions) is far above the default 1 MB.
    jsonLimit: '16mb',
    build: ({ db, relay }) => ({
      routes: catalogRoutes(
        collectionResource(new TableAccess(db, COLLECTIONS_TABLE, relay)),
        tagResource(new TableAccess(db, TAGS_TABLE, relay)),
      ),
    }),
  });
}

if (require.main === module) runMain(() => loadCatalogConfig(), start);
