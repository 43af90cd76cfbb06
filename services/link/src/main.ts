import { bootService, runMain } from '@hop/runtime';
import { loadLinkConfig, type LinkConfig } from './config';
import { ENTITIES } from './infra/entities';
import { MIGRATIONS } from './infra/migrations';

export function start(config: LinkConfig) {
  return bootService({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: ENTITIES, migrations: MIGRATIONS },
    redis: config.redis,
    kafka: { ...config.kafka, topics: [{ topic: 'links' }], outbox: true },
    build: () => ({ routes: () => undefined }),
  });
}

if (require.main === module) runMain(() => loadLinkConfig(), start);
