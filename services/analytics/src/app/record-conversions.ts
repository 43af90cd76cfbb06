import type { DataSource, EntityManager } from 'typeorm';
import { claimUnprocessed, type EventEnvelope } from '@hop/events';
import { metrics, type Logger } from '@hop/telemetry';
import type { ClickStore } from '../infra/click-store';
import type { PendingConversions } from '../infra/pending-conversions';
import type { RollupStore } from '../infra/rollup-store';
import { clickKey, type WorkspaceClick } from '../domain/click';
import { withWorkspace } from './with-workspace';
import { rollupRows, type ClickAttributes, type Fact, type Metrics } from '../domain/rollup';

/** lead.created / sale.created data (libs/events topics.ts), the fields analytics uses. */
interface ConversionData {
  clickId: string;
  timestamp: string;
  amount?: number;
}

const applied = metrics.counter('hop_analytics_conversions_applied_total', 'Conversions counted in analytics', ['type']);
const pendingGauge = metrics.gauge('hop_analytics_pending_conversions', 'Conversions waiting for their click to be ingested');

const data = (e: EventEnvelope) => e.data as ConversionData;
/** The click a conversion names, in the conversion's workspace. */
const clickOf = (e: EventEnvelope): WorkspaceClick => ({ workspaceId: e.workspaceId, clickId: data(e).clickId });
const keyOf = (e: EventEnvelope) => clickKey(e.workspaceId, data(e).clickId);

function conversionMetrics(e: EventEnvelope): Metrics {
  const sale = e.type === 'sale.created';
  return { clicks: 0, leads: sale ? 0 : 1, sales: sale ? 1 : 0, revenue: sale ? (data(e).amount ?? 0) : 0 };
}

/**
 * Counts leads, sales and revenue per click, link, partner and every breakdown of the click
 * (its country, device …), in the hour the conversion happened. Idempotent on event id.
 */
export class RecordConversions {
  constructor(
    private readonly db: DataSource,
    private readonly clicks: ClickStore,
    private readonly rollups: RollupStore,
    private readonly pending: PendingConversions,
    private readonly consumerName: string,
    private readonly logger: Logger,
  ) {}

  async execute(received: EventEnvelope[]): Promise<void> {
    const events = withWorkspace(received, this.logger);
    await this.db.transaction(async (manager) => {
      const fresh = await claimUnprocessed(manager, this.consumerName, events.map((e) => e.id));
      const conversions = events.filter((e) => fresh.delete(e.id)); // delete: an id repeated in the batch counts once
      const stored = await this.clicks.attributes(manager, conversions.map(clickOf));
      await this.apply(manager, conversions.filter((e) => stored.has(keyOf(e))), stored);
      await this.pending.add(manager, conversions.filter((e) => !stored.has(keyOf(e))), (e) => data(e).clickId);
    });
  }

  /** Applies the conversions that were waiting for these just-stored clicks (in the ingest transaction). */
  async applyPendingFor(manager: EntityManager, clicks: (ClickAttributes & { clickId: string })[]): Promise<void> {
    if (!clicks.length) return;
    const waiting = await this.pending.take(manager, clicks);
    if (waiting.length) await this.apply(manager, waiting, new Map(clicks.map((c) => [clickKey(c.workspaceId, c.clickId), c])));
  }

  /** Applies every pending conversion whose click is stored now (catches those that raced their click's ingest). */
  async sweep(): Promise<void> {
    await this.db.transaction(async (manager) => {
      const waiting = await this.pending.take(manager);
      if (waiting.length) await this.apply(manager, waiting, await this.clicks.attributes(manager, waiting.map(clickOf)));
      pendingGauge.set(await this.pending.count(manager));
    });
  }

  private async apply(manager: EntityManager, conversions: EventEnvelope[], clicks: Map<string, ClickAttributes>): Promise<void> {
    const facts: Fact[] = [];
    const perClick: (WorkspaceClick & Metrics)[] = [];
    for (const e of conversions) {
      // Found in the conversion's own workspace (the lookups are scoped by it).
      const click = clicks.get(keyOf(e))!;
      const m = conversionMetrics(e);
      facts.push({ click, at: new Date(data(e).timestamp), metrics: m });
      perClick.push({ ...clickOf(e), ...m });
      applied.inc({ type: e.type });
    }
    await this.rollups.add(manager, rollupRows(facts));
    await this.clicks.addConversions(manager, perClick);
  }
}
