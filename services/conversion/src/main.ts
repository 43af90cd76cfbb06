import { bootService, runMain } from '@hop/runtime';
import { loadConversionConfig, type ConversionConfig } from './config';
import { ENTITIES } from './infra/entities';
import { MIGRATIONS } from './infra/migrations';

export function start(config: ConversionConfig) {
  return bootService({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: ENTITIES, migrations: MIGRATIONS },
    redis: config.redis,
    kafka: { ...config.kafka, topics: [{ topic: 'conversions' }], outbox: true },
    build: () => ({ routes: () => undefined }),
  });
}

if (require.main === module) runMain(() => loadConversionConfig(), start);
