import type { DataSource, EntityManager } from 'typeorm';
import { clickKey, type Click, type WorkspaceClick } from '../domain/click';
import type { ClickAttributes } from '../domain/rollup';
import type { ClickFilter, ClickPage, ClickRef, ClickStore as ClickStorePort } from '../app/ports';

/** Column → Click field and its PostgreSQL type (batches arrive as JSON records with the field names). */
const COLUMNS: [column: string, field: keyof Click, type: string][] = [
  ['click_id', 'clickId', 'text'],
  ['workspace_id', 'workspaceId', 'uuid'],
  ['link_id', 'linkId', 'uuid'],
  ['partner_id', 'partnerId', 'uuid'],
  ['short_id', 'shortId', 'text'],
  ['tenant_id', 'tenantId', 'text'],
  ['external_id', 'externalId', 'text'],
  ['destination', 'destination', 'text'],
  ['referrer', 'referrer', 'text'],
  ['visitor_id', 'visitorId', 'text'],
  ['visitor_session_id', 'visitorSessionId', 'text'],
  ['utm', 'utm', 'jsonb'],
  ['browser_name', 'browserName', 'text'],
  ['browser_version', 'browserVersion', 'text'],
  ['os_name', 'osName', 'text'],
  ['os_version', 'osVersion', 'text'],
  ['device_type', 'deviceType', 'text'],
  ['country', 'country', 'text'],
  ['country_code', 'countryCode', 'text'],
  ['city', 'city', 'text'],
  ['qr', 'qr', 'boolean'],
  ['bot', 'bot', 'boolean'],
  ['trigger', 'trigger', 'text'],
  ['created_at', 'createdAt', 'timestamptz'],
];
const SELECT_CLICK = COLUMNS.map(([column, field]) => `${column} AS "${field}"`).join(', ');
const CLICK_RECORD = COLUMNS.map(([, field, type]) => `"${field}" ${type}`).join(', ');

/** Appends the filter's conditions; returns the WHERE clause. */
function where(filter: ClickFilter, params: unknown[]): string {
  const add = (sql: string, value: unknown) => {
    params.push(value);
    return sql.replace('?', `$${params.length}`);
  };
  const conditions = [add('workspace_id = ?', filter.workspaceId)];
  if (filter.linkId) conditions.push(add('link_id = ?', filter.linkId));
  if (filter.partnerId) conditions.push(add('partner_id = ?', filter.partnerId));
  if (filter.from) conditions.push(add('created_at >= ?', filter.from));
  if (filter.to) conditions.push(add('created_at < ?', filter.to));
  if (!filter.includeBots) conditions.push('NOT bot');
  return conditions.join(' AND ');
}

export class ClickStore implements ClickStorePort {
  constructor(private readonly db: DataSource) {}

  /**
   * Stores the clicks not stored yet, in the caller's transaction, and returns them. The insert
   * into click_ids decides which are new (see the migration): a replayed or duplicate click id
   * writes nothing, and a concurrent transaction with the same id waits for this one. The batch
   * travels as one JSON parameter (cheaper to build and to parse than one array per column).
   */
  async insertNew(manager: EntityManager, clicks: Click[]): Promise<Click[]> {
    if (!clicks.length) return [];
    const inserted: { click_id: string }[] = await manager.query(
      `WITH batch AS MATERIALIZED (
         SELECT DISTINCT ON ("clickId") * FROM json_to_recordset($1::json) AS r(${CLICK_RECORD}) ORDER BY "clickId"),
       fresh AS (
         INSERT INTO click_ids (click_id, workspace_id, link_id, partner_id, short_id, created_at)
         SELECT "clickId", "workspaceId", "linkId", "partnerId", "shortId", "createdAt" FROM batch
         ON CONFLICT (click_id) DO NOTHING RETURNING click_id)
       INSERT INTO clicks (${COLUMNS.map(([column]) => column).join(', ')})
       SELECT ${COLUMNS.map(([, field]) => `b."${field}"`).join(', ')} FROM batch b JOIN fresh ON fresh.click_id = b."clickId"
       RETURNING click_id`,
      [JSON.stringify(clicks)],
    );
    const fresh = new Set(inserted.map((r) => r.click_id));
    return clicks.filter((c) => fresh.delete(c.clickId)); // delete: a duplicate within the batch counts once
  }

  async list(filter: ClickFilter, page: ClickPage): Promise<Click[]> {
    const params: unknown[] = [];
    const conditions = where(filter, params);
    params.push(page.take, page.skip);
    const direction = page.sort === 'asc' ? 'ASC' : 'DESC';
    return this.db.query(
      `SELECT ${SELECT_CLICK} FROM clicks WHERE ${conditions}
       ORDER BY created_at ${direction}, click_id ${direction} LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
  }

  async count(filter: ClickFilter): Promise<number> {
    const params: unknown[] = [];
    const [{ n }] = await this.db.query<{ n: string }[]>(`SELECT count(*)::bigint AS n FROM clicks WHERE ${where(filter, params)}`, params);
    return Number(n);
  }

  /** When the first stored click matching the filter happened (its range ignored), null when none. */
  async firstAt(filter: ClickFilter): Promise<Date | null> {
    const params: unknown[] = [];
    const [{ first }] = await this.db.query<{ first: Date | null }[]>(
      `SELECT min(created_at) AS first FROM clicks WHERE ${where({ ...filter, from: null, to: null }, params)}`,
      params,
    );
    return first;
  }

  async find(workspaceId: string, clickId: string): Promise<ClickRef | null> {
    const rows: ClickRef[] = await this.db.query(
      `SELECT click_id AS "clickId", link_id AS "linkId", workspace_id AS "workspaceId", partner_id AS "partnerId",
              short_id AS "shortId", created_at AS "createdAt", leads, sales, revenue::float8 AS revenue
       FROM click_ids WHERE click_id = $1 AND workspace_id = $2`,
      [clickId, workspaceId],
    );
    return rows[0] ?? null;
  }

  /** The rollup attributes of stored clicks (for conversions), each looked up in its own workspace; keyed by `clickKey`. */
  async attributes(manager: EntityManager, refs: WorkspaceClick[]): Promise<Map<string, ClickAttributes>> {
    if (!refs.length) return new Map();
    const rows: (ClickAttributes & { clickId: string })[] = await manager.query(
      `SELECT c.click_id AS "clickId", c.workspace_id AS "workspaceId", c.link_id AS "linkId", c.partner_id AS "partnerId",
              c.bot, c.country_code AS "countryCode", c.city, c.device_type AS "deviceType", c.browser_name AS "browserName",
              c.os_name AS "osName", c.referrer, c.utm, c.trigger
       FROM unnest($1::uuid[], $2::text[]) AS r(workspace_id, click_id)
       JOIN click_ids i ON i.workspace_id = r.workspace_id AND i.click_id = r.click_id
       JOIN clicks c ON c.workspace_id = i.workspace_id AND c.created_at = i.created_at AND c.click_id = i.click_id`,
      [refs.map((r) => r.workspaceId), refs.map((r) => r.clickId)],
    );
    return new Map(rows.map(({ clickId, ...attributes }) => [clickKey(attributes.workspaceId, clickId), attributes]));
  }

  /** Adds conversion counts to clicks (per-click leads, sales, revenue), each in its own workspace. */
  async addConversions(manager: EntityManager, counts: (WorkspaceClick & { leads: number; sales: number; revenue: number })[]): Promise<void> {
    // One row per click: an UPDATE … FROM applies only one source row to each target row.
    const perClick = new Map<string, WorkspaceClick & { leads: number; sales: number; revenue: number }>();
    for (const { workspaceId, clickId, leads, sales, revenue } of counts) {
      const key = clickKey(workspaceId, clickId);
      const sum = perClick.get(key) ?? { workspaceId, clickId, leads: 0, sales: 0, revenue: 0 };
      perClick.set(key, { ...sum, leads: sum.leads + leads, sales: sum.sales + sales, revenue: sum.revenue + revenue });
    }
    if (!perClick.size) return;
    // Sorted: concurrent transactions lock the rows in the same order.
    const rows = [...perClick.keys()].sort().map((key) => perClick.get(key)!);
    await manager.query(
      `UPDATE click_ids i SET leads = i.leads + d.leads, sales = i.sales + d.sales, revenue = i.revenue + d.revenue
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::bigint[]) AS d(workspace_id, click_id, leads, sales, revenue)
       WHERE i.workspace_id = d.workspace_id AND i.click_id = d.click_id`,
      [rows.map((r) => r.workspaceId), rows.map((r) => r.clickId), rows.map((r) => r.leads), rows.map((r) => r.sales), rows.map((r) => r.revenue)],
    );
  }
}
