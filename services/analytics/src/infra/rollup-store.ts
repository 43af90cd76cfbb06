import type { DataSource, EntityManager } from 'typeorm';
import { DAY_MS, ZERO_ID, breakdownJson, mergeBreakdowns, type Dimension, type StoredBreakdown, type LinkRollupRow, type Metrics, type WorkspaceRollupRow } from '../domain/rollup';
import { splitRange, type Granularity } from '../domain/report';
import type { Hours, RollupScope, RollupStore as RollupStorePort } from '../app/ports';

const SUMS = 'sum(clicks)::float8 AS clicks, sum(leads)::float8 AS leads, sum(sales)::float8 AS sales, sum(revenue)::float8 AS revenue';
const ZERO = `'${ZERO_ID}'::uuid`;
/** The same sums over a link rollup's breakdown entries: [clicks, leads, sales, revenue], or a number of clicks. */
const BREAKDOWN_SUMS = [
  `sum(coalesce(counts->>0, counts#>>'{}')::float8) AS clicks`,
  ...['leads', 'sales', 'revenue'].map((m, i) => `coalesce(sum((counts->>${i + 1})::float8), 0) AS ${m}`),
].join(', ');

/** SQL conditions joined by AND; `params` may be shared by several in one statement. */
class Conditions {
  private readonly parts: string[] = [];

  constructor(readonly params: unknown[] = []) {}

  add(sql: string, ...values: unknown[]): this {
    let i = 0;
    this.parts.push(
      sql.replace(/\?/g, () => {
        this.params.push(values[i++]);
        return `$${this.params.length}`;
      }),
    );
    return this;
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  toString(): string {
    return this.parts.join(' AND ');
  }
}

const METRIC_RECORD = 'clicks bigint, leads bigint, sales bigint, revenue bigint';

const isFiltered = (scope: RollupScope) => Boolean(scope.linkId || scope.partnerId || scope.collectionId);

type Table = 'rollups' | 'link_rollups';

/**
 * The conditions of a report on `table`: workspace rollups of `dimension` by default when
 * unfiltered, else the link rollups of the link, partner and/or collection's links. Literal ZERO_ID (not a parameter)
 * lets the planner use the partial index on partners.
 */
function conditions(scope: RollupScope, hours: Hours, dimension: Dimension, params: unknown[] = [], table: Table = tableFor(scope)): Conditions {
  const where = new Conditions(params).add('workspace_id = ?', scope.workspaceId);
  if (scope.linkId) where.add('link_id = ?', scope.linkId);
  if (scope.partnerId) where.add(`partner_id = ? AND partner_id <> ${ZERO}`, scope.partnerId);
  if (scope.collectionId) where.add('link_id IN (SELECT link_id FROM link_collections WHERE workspace_id = ? AND collection_id = ?)', scope.workspaceId, scope.collectionId);
  if (table === 'rollups') where.add('dimension = ?', dimension);
  if (hours.from) where.add('bucket >= ?', hours.from);
  if (hours.to) where.add('bucket < ?', hours.to);
  if (!scope.includeBots) where.add('NOT bot');
  return where;
}

const tableFor = (scope: RollupScope): Table => (isFiltered(scope) ? 'link_rollups' : 'rollups');

export class RollupStore implements RollupStorePort {
  constructor(private readonly db: DataSource) {}

  /** Adds increments in the caller's transaction (rows come sorted from domain/rollup.ts; batches travel as JSON). */
  async add(manager: EntityManager, rows: { workspace: WorkspaceRollupRow[]; links: LinkRollupRow[] }): Promise<void> {
    if (rows.workspace.length) {
      await manager.query(
        `INSERT INTO rollups (workspace_id, dimension, bucket, value, bot, clicks, leads, sales, revenue)
         SELECT "workspaceId", dimension, bucket, value, bot, clicks, leads, sales, revenue
         FROM json_to_recordset($1::json) AS r("workspaceId" uuid, dimension text, bucket timestamptz, value text, bot boolean, ${METRIC_RECORD})
         ON CONFLICT (workspace_id, dimension, bucket, value, bot) DO UPDATE SET
           clicks = rollups.clicks + EXCLUDED.clicks, leads = rollups.leads + EXCLUDED.leads,
           sales = rollups.sales + EXCLUDED.sales, revenue = rollups.revenue + EXCLUDED.revenue`,
        [JSON.stringify(rows.workspace)],
      );
    }
    if (rows.links.length) await this.addToLinks(manager, rows.links);
  }

  /**
   * Link rollups carry a JSON breakdown that must be summed value by value. Existing rows are
   * locked and merged here (far cheaper than merging JSON in SQL); rows that do not exist yet are
   * inserted, and the SQL merge only runs if another transaction inserted the same row meanwhile.
   */
  private async addToLinks(manager: EntityManager, links: LinkRollupRow[]): Promise<void> {
    const keyOf = (r: { workspaceId: string; linkId: string; partnerId: string; bucket: Date; bot: boolean }) =>
      `${r.workspaceId}|${r.linkId}|${r.partnerId}|${r.bucket.getTime()}|${r.bot}`;
    // (The breakdown Maps serialise as {}: only the keys are read.)
    const stored: { workspaceId: string; linkId: string; partnerId: string; bucket: Date; bot: boolean; breakdown: StoredBreakdown }[] =
      await manager.query(
        `SELECT l.workspace_id AS "workspaceId", l.link_id AS "linkId", l.partner_id AS "partnerId", l.bucket, l.bot, l.breakdown
         FROM json_to_recordset($1::json) AS k("workspaceId" uuid, "linkId" uuid, "partnerId" uuid, bucket timestamptz, bot boolean)
         JOIN link_rollups l ON l.workspace_id = k."workspaceId" AND l.link_id = k."linkId" AND l.bucket = k.bucket
           AND l.bot = k.bot AND l.partner_id = k."partnerId"
         ORDER BY l.workspace_id, l.link_id, l.bucket, l.bot, l.partner_id FOR UPDATE OF l`,
        [JSON.stringify(links)],
      );
    const existing = new Map(stored.map((r) => [keyOf(r), r.breakdown]));
    const updates = links.filter((r) => existing.has(keyOf(r)));
    const inserts = links.filter((r) => !existing.has(keyOf(r)));
    const batch = (rows: LinkRollupRow[], breakdown: (r: LinkRollupRow) => string) =>
      `[${rows
        .map(
          (r) =>
            `{"workspaceId":"${r.workspaceId}","linkId":"${r.linkId}","partnerId":"${r.partnerId}","bucket":"${r.bucket.toISOString()}",` +
            `"bot":${r.bot},"clicks":${r.clicks},"leads":${r.leads},"sales":${r.sales},"revenue":${r.revenue},"breakdown":${breakdown(r)}}`,
        )
        .join(',')}]`;
    const record = `r("workspaceId" uuid, "linkId" uuid, "partnerId" uuid, bucket timestamptz, bot boolean, ${METRIC_RECORD}, breakdown jsonb)`;
    if (updates.length) {
      await manager.query(
        `UPDATE link_rollups l SET clicks = l.clicks + r.clicks, leads = l.leads + r.leads, sales = l.sales + r.sales,
           revenue = l.revenue + r.revenue, breakdown = r.breakdown
         FROM json_to_recordset($1::json) AS ${record}
         WHERE l.workspace_id = r."workspaceId" AND l.link_id = r."linkId" AND l.bucket = r.bucket AND l.bot = r.bot
           AND l.partner_id = r."partnerId"`,
        [batch(updates, (r) => breakdownJson(mergeBreakdowns(existing.get(keyOf(r))!, r.breakdown)))],
      );
    }
    if (inserts.length) {
      await manager.query(
        `INSERT INTO link_rollups (workspace_id, link_id, partner_id, bucket, bot, clicks, leads, sales, revenue, breakdown)
         SELECT "workspaceId", "linkId", "partnerId", bucket, bot, clicks, leads, sales, revenue, breakdown
         FROM json_to_recordset($1::json) AS ${record}
         ON CONFLICT (workspace_id, link_id, bucket, bot, partner_id) DO UPDATE SET
           clicks = link_rollups.clicks + EXCLUDED.clicks, leads = link_rollups.leads + EXCLUDED.leads,
           sales = link_rollups.sales + EXCLUDED.sales, revenue = link_rollups.revenue + EXCLUDED.revenue,
           breakdown = rollup_breakdown_merge(link_rollups.breakdown, EXCLUDED.breakdown)`,
        [batch(inserts, (r) => breakdownJson(r.breakdown))],
      );
    }
  }

  async total(scope: RollupScope, hours: Hours): Promise<Metrics> {
    const where = conditions(scope, hours, 'count');
    const [row] = await this.db.query<Partial<Record<keyof Metrics, number | null>>[]>(`SELECT ${SUMS} FROM ${tableFor(scope)} WHERE ${where.toString()}`, where.params);
    return { clicks: row.clicks ?? 0, leads: row.leads ?? 0, sales: row.sales ?? 0, revenue: row.revenue ?? 0 };
  }

  /**
   * Totals per value of a dimension, most clicks first. Filtered reports read link rollups: top
   * links/partners from their own link_id/partner_id, other dimensions from their JSON breakdown.
   * Unfiltered top links/partners read the daily workspace rows for whole UTC days and the link
   * rollups for the partial days at the ends of the range.
   */
  async breakdown(scope: RollupScope, dimension: Dimension, hours: Hours, take: number): Promise<({ value: string } & Metrics)[]> {
    const perLink = dimension === 'link' || dimension === 'partner';
    if (perLink && !isFiltered(scope)) return this.dailyBreakdown(scope, dimension, hours, take);
    const where = conditions(scope, hours, dimension);
    let from: string = tableFor(scope);
    let value = 'value';
    let sums = SUMS;
    if (perLink) {
      value = `${dimension}_id::text`;
      if (dimension === 'partner') where.add(`partner_id <> ${ZERO}`);
    } else if (isFiltered(scope)) {
      from = `link_rollups CROSS JOIN LATERAL jsonb_each(breakdown -> ${where.param(dimension)}) AS v(value, counts)`;
      sums = BREAKDOWN_SUMS;
    }
    const limit = where.param(take);
    return this.db.query<({ value: string } & Metrics)[]>(
      `SELECT ${value} AS value, ${sums} FROM ${from} WHERE ${where.toString()} GROUP BY 1 ORDER BY clicks DESC, leads DESC, value LIMIT ${limit}`,
      where.params,
    );
  }

  private async dailyBreakdown(scope: RollupScope, dimension: 'link' | 'partner', hours: Hours, take: number) {
    const split = splitRange(hours.from, hours.to, DAY_MS);
    const parts: string[] = [];
    const params: unknown[] = [];
    if (split.whole) {
      parts.push(`SELECT value, clicks, leads, sales, revenue FROM rollups WHERE ${conditions(scope, split.whole, dimension, params).toString()}`);
    }
    for (const edge of split.edges) {
      const where = conditions(scope, edge, 'count', params, 'link_rollups');
      if (dimension === 'partner') where.add(`partner_id <> ${ZERO}`);
      parts.push(`SELECT ${dimension}_id::text, clicks, leads, sales, revenue FROM link_rollups WHERE ${where.toString()}`);
    }
    params.push(take);
    return this.db.query<({ value: string } & Metrics)[]>(
      `SELECT value, ${SUMS} FROM (${parts.join(' UNION ALL ')}) AS rows(value, clicks, leads, sales, revenue)
       GROUP BY 1 ORDER BY clicks DESC, leads DESC, value LIMIT $${params.length}`,
      params,
    );
  }

  /**
   * Totals per local hour/day/month of `timeZone`, every period of the range present (zeros
   * included). Grouping happens on hourly buckets, so zones whose offset is not a whole number of
   * hours (e.g. Asia/Kolkata, +05:30) get each UTC hour in the local period where it starts.
   */
  async timeseries(scope: RollupScope, hours: { from: Date; to: Date }, granularity: Granularity, timeZone: string): Promise<({ start: Date } & Metrics)[]> {
    return this.db.transaction(async (manager) => {
      // Session time zone for this transaction: date_trunc and generate_series then follow its calendar and DST.
      await manager.query(`SELECT set_config('TimeZone', $1, true)`, [timeZone]);
      const where = conditions(scope, hours, 'count');
      const unit = where.param(granularity);
      const from = where.param(hours.from);
      const to = where.param(hours.to);
      return manager.query<({ start: Date } & Metrics)[]>(
        `WITH periods AS (
           SELECT generate_series(date_trunc(${unit}, ${from}::timestamptz), ${to}::timestamptz - interval '1 microsecond',
                                  ('1 ' || ${unit})::interval) AS start),
         data AS (SELECT date_trunc(${unit}, bucket) AS start, ${SUMS} FROM ${tableFor(scope)} WHERE ${where.toString()} GROUP BY 1)
         SELECT p.start, coalesce(d.clicks, 0) AS clicks, coalesce(d.leads, 0) AS leads, coalesce(d.sales, 0) AS sales,
                coalesce(d.revenue, 0) AS revenue
         FROM periods p LEFT JOIN data d ON d.start = p.start ORDER BY p.start`,
        where.params,
      );
    });
  }

  /** The hour of the workspace's first click or conversion (for interval=all), null when none. */
  async firstHour(workspaceId: string): Promise<Date | null> {
    const [row] = await this.db.query<{ first: Date | null }[]>(
      `SELECT min(bucket) AS first FROM rollups WHERE workspace_id = $1 AND dimension = 'count'`,
      [workspaceId],
    );
    return row.first ?? null;
  }
}
