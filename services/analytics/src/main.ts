import { bootService, runMain } from '@hop/runtime';
import { loadAnalyticsConfig, type AnalyticsConfig } from './config';
import { ENTITIES } from './infra/entities';
import { MIGRATIONS } from './infra/migrations';

export function start(config: AnalyticsConfig) {
  return bootService({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: ENTITIES, migrations: MIGRATIONS },
    redis: config.redis,
    kafka: { ...config.kafka, topics: [{ topic: 'clicks' }, { topic: 'conversions' }], outbox: false },
    build: () => ({ routes: () => undefined }),
  });
}

if (require.main === module) runMain(() => loadAnalyticsConfig(), start);
