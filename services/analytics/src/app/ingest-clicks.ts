import type { TopicEvent } from '@hop/events';
import { metrics } from '@hop/telemetry';
import { enrichClick } from '../domain/click';
import { rollupRows } from '../domain/rollup';
import type { AnalyticsPorts } from './ports';
import { applyPendingFor } from './record-conversions';
import { withWorkspace } from './with-workspace';

const ingested = metrics.counter('hop_analytics_clicks_ingested_total', 'Clicks stored by analytics');
const duplicates = metrics.counter('hop_analytics_duplicate_clicks_total', 'Click events skipped because their click id was already stored');
const lag = metrics.histogram('hop_analytics_ingest_lag_seconds', 'Time from a click to its storage', [], [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60]);

const ONE_CLICK = { clicks: 1, leads: 0, sales: 0, revenue: 0 };

/**
 * Stores a batch of click.recorded events: enriched clicks, their rollup increments and the
 * conversions that were waiting for them, in one transaction. Click ids already stored are
 * skipped, so a redelivered batch changes nothing. The newly stored clicks then go to the live
 * feed, without waiting: a Redis outage must not hold up ingestion. Returns how many clicks were new.
 */
export async function ingestClicks(
  deps: Pick<AnalyticsPorts, 'db' | 'clicks' | 'rollups' | 'partitions' | 'pending' | 'live' | 'logger'>,
  events: TopicEvent<'clicks'>[],
): Promise<number> {
  const clicks = withWorkspace(events, deps.logger).map((e) => enrichClick(e.workspaceId, e.data));
  await deps.partitions.ensureFor(clicks.map((c) => c.createdAt));
  const added = await deps.db.transaction(async (tx) => {
    const stored = await deps.clicks.insertNew(tx, clicks);
    await deps.rollups.add(tx, rollupRows(stored.map((click) => ({ click, at: click.createdAt, metrics: ONE_CLICK }))));
    await applyPendingFor(deps, tx, stored);
    return stored;
  });
  ingested.inc(added.length);
  duplicates.inc(clicks.length - added.length);
  const now = Date.now();
  for (const c of added) lag.observe((now - c.createdAt.getTime()) / 1000);
  void deps.live.publish(added).catch((err: unknown) => deps.logger.warn({ err }, 'live clicks: publish failed'));
  return added.length;
}
