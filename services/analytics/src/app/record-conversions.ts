import { claimUnprocessed } from '@hop/events';
import { metrics } from '@hop/telemetry';
import { clickKey, type WorkspaceClick } from '../domain/click';
import { rollupRows, type ClickAttributes, type Fact, type Metrics } from '../domain/rollup';
import type { AnalyticsPorts, ConversionEvent, Tx } from './ports';
import { withWorkspace } from './with-workspace';

const applied = metrics.counter('hop_analytics_conversions_applied_total', 'Conversions counted in analytics', ['type']);
const pendingGauge = metrics.gauge('hop_analytics_pending_conversions', 'Conversions waiting for their click to be ingested');

type Deps = Pick<AnalyticsPorts, 'db' | 'clicks' | 'rollups' | 'pending' | 'conversionsConsumer' | 'logger'>;

/** The click a conversion names, in the conversion's workspace. */
const clickOf = (e: ConversionEvent): WorkspaceClick => ({ workspaceId: e.workspaceId, clickId: e.data.clickId });
const keyOf = (e: ConversionEvent) => clickKey(e.workspaceId, e.data.clickId);

function conversionMetrics(e: ConversionEvent): Metrics {
  if (e.type === 'sale.created') return { clicks: 0, leads: 0, sales: 1, revenue: e.data.amount };
  return { clicks: 0, leads: 1, sales: 0, revenue: 0 };
}

/**
 * Counts leads, sales and revenue per click, link, partner and every breakdown of the click
 * (its country, device …), in the hour the conversion happened. Idempotent on event id.
 */
export async function recordConversions(deps: Deps, received: ConversionEvent[]): Promise<void> {
  const events = withWorkspace(received, deps.logger);
  await deps.db.transaction(async (tx) => {
    const fresh = await claimUnprocessed(tx, deps.conversionsConsumer, events.map((e) => e.id));
    const conversions = events.filter((e) => fresh.delete(e.id)); // delete: an id repeated in the batch counts once
    const stored = await deps.clicks.attributes(tx, conversions.map(clickOf));
    await apply(deps, tx, conversions.filter((e) => stored.has(keyOf(e))), stored);
    await deps.pending.add(tx, conversions.filter((e) => !stored.has(keyOf(e))), (e) => e.data.clickId);
  });
}

/** Applies the conversions that were waiting for these just-stored clicks (in the ingest transaction). */
export async function applyPendingFor(deps: Pick<Deps, 'clicks' | 'rollups' | 'pending'>, tx: Tx, clicks: (ClickAttributes & { clickId: string })[]): Promise<void> {
  if (!clicks.length) return;
  const waiting = await deps.pending.take(tx, clicks);
  if (waiting.length) await apply(deps, tx, waiting, new Map(clicks.map((c) => [clickKey(c.workspaceId, c.clickId), c])));
}

/** Applies every pending conversion whose click is stored now (catches those that raced their click's ingest). */
export async function sweepPendingConversions(deps: Pick<Deps, 'db' | 'clicks' | 'rollups' | 'pending'>): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const waiting = await deps.pending.take(tx);
    if (waiting.length) await apply(deps, tx, waiting, await deps.clicks.attributes(tx, waiting.map(clickOf)));
    pendingGauge.set(await deps.pending.count(tx));
  });
}

async function apply(deps: Pick<Deps, 'clicks' | 'rollups'>, tx: Tx, conversions: ConversionEvent[], clicks: Map<string, ClickAttributes>): Promise<void> {
  const facts: Fact[] = [];
  const perClick: (WorkspaceClick & Metrics)[] = [];
  for (const e of conversions) {
    // Found in the conversion's own workspace (the lookups are scoped by it).
    const click = clicks.get(keyOf(e))!;
    const m = conversionMetrics(e);
    facts.push({ click, at: new Date(e.data.timestamp), metrics: m });
    perClick.push({ ...clickOf(e), ...m });
    applied.inc({ type: e.type });
  }
  await deps.rollups.add(tx, rollupRows(facts));
  await deps.clicks.addConversions(tx, perClick);
}
