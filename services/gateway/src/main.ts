import { LRUCache } from 'lru-cache';
import type { DataSource } from '@hop/db';
import { bootService, runMain } from '@hop/runtime';
import type { Logger } from '@hop/telemetry';
import type { ExpectedWorkspace } from './app/ports';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { adminRoutes } from './http/admin-routes';
import { apiPipeline } from './http/api-pipeline';
import { clientAddressReader } from './http/client-address';
import { docsRoutes } from './http/docs-routes';
import { failOpenReporter } from './http/fail-open';
import { createForwarder } from './http/proxy';
import { PgApiKeyStore } from './infra/api-key-store';
import { ENTITIES } from './infra/entities';
import { RedisKeyCache } from './infra/key-cache';
import { LastUsedRecorder } from './infra/last-used-recorder';
import { HttpLinkDomains } from './infra/link-domains';
import { MIGRATIONS } from './infra/migrations';
import { RedisRequestGate } from './infra/request-gate';
import { connectGatewayRedis } from './infra/redis';
import { PgWorkspaceStore } from './infra/workspace-store';

export { ensureDemoWorkspace, demoInstructions } from './demo';

export function start(config: GatewayConfig) {
  return bootService<{ db: DataSource; logger: Logger }>({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: ENTITIES, migrations: MIGRATIONS },
    // bodies are streamed to the services, never parsed here; the proof is what the gateway adds, not checks
    jsonLimit: false,
    internalProof: false,
    build: async ({ db, logger }) => {
      const redis = await connectGatewayRedis(config.redis, logger);
      const workspaces = new PgWorkspaceStore(db);
      const keys = new PgApiKeyStore(db);
      const keyCache = new RedisKeyCache(redis, config.keyCacheTtlSeconds);
      const lastUsed = new LastUsedRecorder(keys, config.lastUsedFlushMs, logger);
      const pipeline = apiPipeline({
        keys,
        keyCache,
        gate: new RedisRequestGate(redis, config.authFailuresPerMinute),
        authFailuresPerMinute: config.authFailuresPerMinute,
        // a key's workspace never changes: remembering it lets one Redis round trip admit a request
        hints: new LRUCache<string, ExpectedWorkspace>({ max: 100_000 }),
        lastUsed,
        forward: createForwarder({
          upstreams: config.upstreams,
          internalSecret: config.server.internalSecret,
          timeoutMs: config.upstreamTimeoutMs,
          bodyLimitBytes: config.bodyLimitBytes,
          logger,
        }),
        bodyLimitBytes: config.bodyLimitBytes,
        clientAddress: clientAddressReader(config.trustProxy),
        service: config.service,
        logger,
        onRedisFailure: failOpenReporter(logger),
      });
      return {
        fastPath: pipeline,
        routes: (app) => {
          docsRoutes(app);
          app.use('/admin', adminRoutes({ workspaces, keys, keyCache, linkDomains: new HttpLinkDomains(config.upstreams.link, config.server.internalSecret) }, config.adminToken));
        },
        // no Redis readiness check: the gateway keeps serving without Redis (fail open)
        start: async () => lastUsed.start(),
        stop: async () => {
          await lastUsed.stop();
          redis.disconnect();
        },
      };
    },
  });
}

if (require.main === module) runMain(() => loadGatewayConfig(), start);
