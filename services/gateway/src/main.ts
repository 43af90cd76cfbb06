import type { IncomingMessage } from 'node:http';
import { LRUCache } from 'lru-cache';
import type { DataSource } from '@hop/db';
import { createKafka } from '@hop/events';
import { bootService, runMain } from '@hop/runtime';
import type { Logger } from '@hop/telemetry';
import type { ExpectedWorkspace } from './app/ports';
import { loadGatewayConfig, type GatewayConfig } from './config';
import type { AccessDeps } from './app/ports';
import { accessApi } from './http/access-api';
import { adminRoutes } from './http/admin-routes';
import { apiPipeline } from './http/api-pipeline';
import { authRoutes } from './http/auth-routes';
import { consoleProxy } from './http/console-proxy';
import { clientAddressReader, httpsReader } from './http/client-address';
import { docsRoutes } from './http/docs-routes';
import { failOpenReporter } from './http/fail-open';
import { createForwarder } from './http/proxy';
import { originReader } from './http/session-cookie';
import { PgAccessStore } from './infra/access-store';
import { PgApiKeyStore } from './infra/api-key-store';
import { startAuditConsumer } from './infra/audit-consumer';
import { RedisKeyCache } from './infra/key-cache';
import { LastUsedRecorder } from './infra/last-used-recorder';
import { HttpLinkDomains } from './infra/link-domains';
import { RedisLoginThrottle } from './infra/login-throttle';
import { MIGRATIONS } from './infra/migrations';
import { RedisRequestGate } from './infra/request-gate';
import { connectGatewayRedis } from './infra/redis';
import { PgWorkspaceStore } from './infra/workspace-store';

export { ensureDemoWorkspace, demoInstructions } from './demo';

export function start(config: GatewayConfig) {
  return bootService<{ db: DataSource; logger: Logger }>({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: [], migrations: MIGRATIONS },
    // bodies are streamed to the services, never parsed here; the proof is what the gateway adds, not checks
    jsonLimit: false,
    internalProof: false,
    build: async ({ db, logger }) => {
      const redis = await connectGatewayRedis(config.redis, logger);
      const workspaces = new PgWorkspaceStore(db);
      const keys = new PgApiKeyStore(db);
      const keyCache = new RedisKeyCache(redis, config.keyCacheTtlSeconds);
      const access = new PgAccessStore(db);
      const lastUsed = new LastUsedRecorder(keys, config.lastUsedFlushMs, logger);
      const onRedisFailure = failOpenReporter(logger);
      const accessDeps: AccessDeps = {
        access,
        workspaces,
        keyCache,
        throttle: new RedisLoginThrottle(redis, config.loginThrottle),
        settings: config.access,
        onRedisFailure,
      };
      const isHttps = httpsReader(config.trustProxy);
      const clientAddress = clientAddressReader(config.trustProxy);
      const originAllowed = originReader(config.publicOrigin, isHttps);
      // the console (/app) reads the token from the fragment, which browsers never send to servers or in Referer
      const invitationLink = (req: IncomingMessage, token: string) =>
        `${config.publicUrl ?? `${isHttps(req) ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`}/app/invitations/accept#token=${token}`;
      const linkDomains = new HttpLinkDomains(config.upstreams.link, config.server.internalSecret);
      let auditConsumer: { stop(): Promise<void> } | undefined;
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
        local: accessApi({ ...accessDeps, keys, linkDomains }, invitationLink),
        sessions: { access, settings: config.access, originAllowed },
        bodyLimitBytes: config.bodyLimitBytes,
        clientAddress,
        service: config.service,
        logger,
        onRedisFailure,
      });
      return {
        fastPath: pipeline,
        routes: (app) => {
          app.use(consoleProxy(config.consoleUrl, logger));
          docsRoutes(app);
          app.use('/admin', adminRoutes({ workspaces, keys, keyCache, access, linkDomains }, config.adminToken));
          app.use('/auth', authRoutes(accessDeps, { clientAddress, cookies: { security: config.cookieSecurity, isHttps }, originAllowed }));
        },
        // no Redis readiness check: the gateway keeps serving without Redis (fail open)
        start: () => {
          lastUsed.start();
          // Kafka only feeds the audit log: not a boot or readiness dependency of the gateway
          if (config.auditEventsConsumer) auditConsumer = startAuditConsumer(createKafka(config.kafka, logger), config.kafka.topicPrefix, access, logger);
        },
        stop: async () => {
          await auditConsumer?.stop();
          await lastUsed.stop();
          redis.disconnect();
        },
      };
    },
  });
}

if (require.main === module) runMain(() => loadGatewayConfig(), start);
