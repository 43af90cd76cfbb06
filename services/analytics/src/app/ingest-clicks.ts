import type { DataSource } from 'typeorm';
import type { EventEnvelope } from '@hop/events';
import { metrics, type Logger } from '@hop/telemetry';
import { enrichClick, type ClickRecorded } from '../domain/click';
import { rollupRows } from '../domain/rollup';
import type { ClickPartitions } from '../infra/click-partitions';
import type { ClickStore } from '../infra/click-store';
import type { RollupStore } from '../infra/rollup-store';
import type { LiveClickFeed } from './live-clicks';
import type { RecordConversions } from './record-conversions';
import { withWorkspace } from './with-workspace';

const ingested = metrics.counter('hop_analytics_clicks_ingested_total', 'Clicks stored by analytics');
const duplicates = metrics.counter('hop_analytics_duplicate_clicks_total', 'Click events skipped because their click id was already stored');
const lag = metrics.histogram('hop_analytics_ingest_lag_seconds', 'Time from a click to its storage', [], [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60]);

const ONE_CLICK = { clicks: 1, leads: 0, sales: 0, revenue: 0 };

/**
 * Stores a batch of click.recorded events: enriched clicks, their rollup increments and the
 * conversions that were waiting for them, in one transaction. Click ids already stored are
 * skipped, so a redelivered batch changes nothing. The newly stored clicks then go to the live
 * feed, without waiting: a Redis outage must not hold up ingestion.
 */
export class IngestClicks {
  constructor(
    private readonly db: DataSource,
    private readonly clicks: ClickStore,
    private readonly rollups: RollupStore,
    private readonly partitions: ClickPartitions,
    private readonly conversions: RecordConversions,
    private readonly logger: Logger,
    private readonly live: Pick<LiveClickFeed, 'publish'>,
  ) {}

  async execute(events: EventEnvelope[]): Promise<number> {
    const clicks = withWorkspace(events, this.logger).map((e) => enrichClick(e.workspaceId, e.data as ClickRecorded));
    await this.partitions.ensureFor(clicks.map((c) => c.createdAt));
    const added = await this.db.transaction(async (manager) => {
      const stored = await this.clicks.insertNew(manager, clicks);
      await this.rollups.add(manager, rollupRows(stored.map((click) => ({ click, at: click.createdAt, metrics: ONE_CLICK }))));
      await this.conversions.applyPendingFor(manager, stored);
      return stored;
    });
    ingested.inc(added.length);
    duplicates.inc(clicks.length - added.length);
    const now = Date.now();
    for (const c of added) lag.observe((now - c.createdAt.getTime()) / 1000);
    this.live.publish(added).catch((err: unknown) => this.logger.warn({ err }, 'live clicks: publish failed'));
    return added.length;
  }
}
