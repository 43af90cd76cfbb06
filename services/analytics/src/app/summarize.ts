import { DomainError } from '@hop/errors';
import type { Metrics } from '../domain/rollup';
import {
  BREAKDOWN_REPORTS,
  MAX_POINTS,
  defaultGranularity,
  estimatedPoints,
  isBreakdown,
  reportHours,
  type Granularity,
  type GroupBy,
  type Interval,
  type ReportFilters,
} from '../domain/report';
import type { AnalyticsPorts } from './ports';

export interface SummaryQuery extends ReportFilters {
  /** Hop's: the links of this collection (as projected from links.v1). */
  collectionId?: string;
  groupBy: GroupBy;
  interval?: Interval;
  startDate?: Date;
  endDate?: Date;
  timezone: string;
  granularity?: Granularity;
  take: number;
}

export type Summary = Metrics | (Record<string, string | number | null> & Metrics)[];

/** GET /api/analytics/summary: totals, a timeseries or a breakdown, read from the hourly rollups only. */
export async function summarize(deps: Pick<AnalyticsPorts, 'rollups'>, workspaceId: string, query: SummaryQuery, now = new Date()): Promise<Summary> {
  if (query.startDate && query.endDate && query.startDate > query.endDate) throw new DomainError('INVALID_DATE_RANGE');
  const hours = reportHours(query, now);
  const scope = { workspaceId, linkId: query.linkId, partnerId: query.partnerId, collectionId: query.collectionId, includeBots: query.includeBots };
  const { groupBy } = query;
  if (groupBy === 'count') return deps.rollups.total(scope, hours);
  if (isBreakdown(groupBy)) {
    const report = BREAKDOWN_REPORTS[groupBy];
    const rows = await deps.rollups.breakdown(scope, report.dimension, hours, query.take);
    return rows.map(({ value, ...m }) => ({ ...report.label(value), ...m }));
  }
  const from = hours.from ?? (await deps.rollups.firstHour(workspaceId));
  if (!from || from >= hours.to) return [];
  const granularity = query.granularity ?? defaultGranularity(from, hours.to);
  if (estimatedPoints(from, hours.to, granularity) > MAX_POINTS) {
    throw new DomainError('INVALID_REQUEST', {
      details: [{ path: 'granularity', field: 'granularity', message: `more than ${MAX_POINTS} ${granularity}s in range: use a coarser granularity` }],
    });
  }
  const rows = await deps.rollups.timeseries(scope, { from, to: hours.to }, granularity, query.timezone);
  return rows.map(({ start, ...m }) => ({ start: start.toISOString(), ...m }));
}
