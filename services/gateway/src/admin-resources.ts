import { openDatabase, type DataSource } from '@hop/db';
import { createRedis } from '@hop/runtime';
import type { AdminDeps } from './app/ports';
import type { GatewayConfig } from './config';
import { PgAccessStore } from './infra/access-store';
import { PgApiKeyStore } from './infra/api-key-store';
import { RedisKeyCache } from './infra/key-cache';
import { HttpLinkDomains } from './infra/link-domains';
import { MIGRATIONS } from './infra/migrations';
import { PgWorkspaceStore } from './infra/workspace-store';

export interface AdminResources {
  db: DataSource;
  deps: AdminDeps;
  close(): Promise<void>;
}

/** The database (migrated) and key cache, for administration outside the running gateway (CLI, demo bootstrap). */
export async function openAdminResources(config: GatewayConfig): Promise<AdminResources> {
  const db = await openDatabase({ url: config.postgres.url, poolSize: 2, entities: [], migrations: MIGRATIONS });
  // connects on first use only: most commands never touch the cache
  const redis = createRedis(config.redis, { lazyConnect: true, maxRetriesPerRequest: 1, disconnectTimeout: 200 });
  redis.on('error', () => undefined); // surfaced by the failing command instead
  return {
    db,
    deps: {
      workspaces: new PgWorkspaceStore(db),
      keys: new PgApiKeyStore(db),
      keyCache: new RedisKeyCache(redis, config.keyCacheTtlSeconds),
      linkDomains: new HttpLinkDomains(config.upstreams.link, config.server.internalSecret),
      access: new PgAccessStore(db),
    },
    async close() {
      redis.disconnect();
      await db.destroy();
    },
  };
}
