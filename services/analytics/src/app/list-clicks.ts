import { DomainError } from '@hop/errors';
import type { Click } from '../domain/click';
import { splitRange } from '../domain/report';
import { HOUR_MS } from '../domain/rollup';
import type { AnalyticsPorts, ClickFilter, ClickPage } from './ports';

export interface ListClicksQuery extends ClickPage {
  linkId?: string;
  partnerId?: string;
  /** Inclusive bounds on createdAt. */
  startDate?: Date;
  endDate?: Date;
  includeBots: boolean;
}

type Deps = Pick<AnalyticsPorts, 'clicks' | 'rollups'>;

/** GET /api/analytics: one page of the workspace's clicks and how many match in all. */
export async function listClicks(deps: Deps, workspaceId: string, query: ListClicksQuery): Promise<{ items: Click[]; total: number }> {
  const { startDate, endDate } = query;
  if (startDate && endDate && startDate > endDate) throw new DomainError('INVALID_DATE_RANGE');
  const filter: ClickFilter = {
    workspaceId,
    linkId: query.linkId,
    partnerId: query.partnerId,
    from: startDate,
    to: endDate && new Date(endDate.getTime() + 1),
    includeBots: query.includeBots,
  };
  const [items, total] = await Promise.all([deps.clicks.list(filter, query), totalOf(deps, filter)]);
  return { items, total };
}

/**
 * The exact number of matching clicks without counting every row: whole hours from the rollups
 * (written in the same transaction as the clicks, so they agree), partial hours at the range's
 * ends from the raw rows. The range starts no earlier than the first stored click: rollups
 * outlive the monthly partitions that retention drops.
 */
async function totalOf(deps: Deps, filter: ClickFilter): Promise<number> {
  const first = await deps.clicks.firstAt(filter);
  if (!first) return 0;
  const from = filter.from && filter.from > first ? filter.from : first;
  const split = splitRange(from, filter.to ?? null, HOUR_MS);
  const counts = await Promise.all([
    split.whole ? deps.rollups.total(filter, split.whole).then((m) => m.clicks) : 0,
    ...split.edges.map((edge) => deps.clicks.count({ ...filter, ...edge })),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}
