import { InternalClient } from '@hop/http';
import { bootService, createRedis, runMain, type Resources } from '@hop/runtime';
import type { DataSource } from 'typeorm';
import { backfillLinkCollections } from './app/backfill-link-collections';
import { ingestClicks } from './app/ingest-clicks';
import type { AnalyticsPorts } from './app/ports';
import { projectLinkCollections } from './app/project-link-collections';
import { recordConversions, sweepPendingConversions } from './app/record-conversions';
import { loadAnalyticsConfig, type AnalyticsConfig } from './config';
import { liveRoute } from './http/live-route';
import { analyticsRoutes } from './http/routes';
import { BackfillStore } from './infra/backfill-store';
import { BackgroundWork } from './infra/background';
import { ClickPartitions } from './infra/click-partitions';
import { ClickStore } from './infra/click-store';
import { LinkCollectionSource } from './infra/link-collection-source';
import { LinkCollectionStore } from './infra/link-collection-store';
import { MIGRATIONS } from './infra/migrations';
import { PendingConversions } from './infra/pending-conversions';
import { RedisLiveFeed } from './infra/redis-live-feed';
import { RollupStore } from './infra/rollup-store';

const DAY_MS = 24 * 3_600_000;

/** The time zones PostgreSQL knows (it does the bucketing), for validating `timezone`. */
async function timeZones(db: DataSource): Promise<Set<string>> {
  const rows: { name: string }[] = await db.query('SELECT name FROM pg_timezone_names');
  return new Set(rows.map((r) => r.name));
}

export function start(config: AnalyticsConfig) {
  const settings = config.analytics;
  return bootService<Pick<Resources, 'logger' | 'db' | 'kafka'>>({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: [], migrations: MIGRATIONS },
    kafka: { ...config.kafka, topics: [{ topic: 'clicks' }, { topic: 'conversions' }, { topic: 'links' }], outbox: false },
    build: async ({ db, kafka, logger }) => {
      const clicks = new ClickStore(db);
      const rollups = new RollupStore(db);
      const partitions = new ClickPartitions(db, logger, settings.retentionMonths);
      await partitions.maintain();
      // Redis carries live clicks only: opened here rather than by bootService so that its outage
      // stops the live streams (503), not readiness and every report with it
      const redis = createRedis(config.redis);
      redis.on('error', (err: Error) => logger.warn({ err }, 'redis'));
      const live = new RedisLiveFeed(redis, config.redis.keyPrefix, logger);
      const deps: AnalyticsPorts = {
        db,
        clicks,
        rollups,
        linkCollections: new LinkCollectionStore(db),
        partitions,
        pending: new PendingConversions(),
        conversionsConsumer: settings.conversionsGroup,
        live,
        logger,
      };
      const backfill = {
        ...deps,
        backfills: new BackfillStore(db),
        linkSource: new LinkCollectionSource(new InternalClient({ baseUrl: settings.linkUrl, secret: config.server.internalSecret, timeoutMs: 30_000 })),
      };
      const background = new BackgroundWork({
        kafka,
        topicPrefix: config.kafka.topicPrefix,
        logger,
        clicksGroup: settings.clicksGroup,
        conversionsGroup: settings.conversionsGroup,
        linksGroup: settings.linksGroup,
        clickConsumers: settings.clickConsumers,
        ingestClicks: async (events) => void (await ingestClicks(deps, events)),
        recordConversions: (events) => recordConversions(deps, events),
        projectLinks: (events) => projectLinkCollections(deps, events),
        jobs: [
          ['click partitions', DAY_MS, () => partitions.maintain()],
          ['pending conversions', settings.pendingConversionsIntervalMs, () => sweepPendingConversions(deps)],
        ],
        // 'stopped' ends the run too: stop() aborted it
        once: [['link collections backfill', async (signal) => (await backfillLinkCollections(backfill, signal)) !== 'busy']],
      });
      const analytics = analyticsRoutes(deps, await timeZones(db));
      return {
        routes: (app) => {
          liveRoute({ feed: live, linkCollections: deps.linkCollections, logger })(app);
          analytics(app);
        },
        readiness: { consumers: () => background.check() },
        start: () => background.start(),
        stop: async () => {
          await background.stop();
          live.close();
          redis.disconnect();
        },
      };
    },
  });
}

if (require.main === module) runMain(() => loadAnalyticsConfig(), start);
