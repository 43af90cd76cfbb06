import { bootService, runMain } from '@hop/runtime';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { ENTITIES } from './infra/entities';
import { MIGRATIONS } from './infra/migrations';

export function start(config: GatewayConfig) {
  return bootService({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: ENTITIES, migrations: MIGRATIONS },
    redis: config.redis,
    kafka: { ...config.kafka, topics: [], outbox: false },
    build: () => ({ routes: () => undefined }),
  });
}

if (require.main === module) runMain(() => loadGatewayConfig(), start);
