import type { EntityManager } from 'typeorm';
import { queryRows } from './query-rows';

/**
 * The generic store of workspace-owned records that catalog (collections, tags) and partner
 * (partners) keep in one table each: a port (ResourceStore) for their use cases and the SQL that
 * implements it (WorkspaceTable). Only infrastructure lives here; what a batch may do is each
 * service's use cases.
 */

export interface ListOptions {
  ids?: string[];
  take: number;
  skip: number;
  sort: 'asc' | 'desc';
}

/** One workspace's records of one kind; W is what a write sets, R what a read returns. */
export interface ResourceStore<R extends W, W extends { id: string } = R> {
  list(options: ListOptions): Promise<{ items: R[]; total: number }>;
  existingIds(ids: string[]): Promise<string[]>;
  /** The records among `ids`, locked for the rest of the transaction. */
  lockByIds(ids: string[]): Promise<R[]>;
  /** Records whose name equals one of `names` ignoring case. */
  withNames(names: string[]): Promise<R[]>;
  insert(rows: W[]): Promise<R[]>;
  update(rows: W[]): Promise<R[]>;
  /** Deletes what exists among `ids` (soft or hard as the table does); returns the ids it deleted. */
  remove(ids: string[]): Promise<string[]>;
}

export interface ColumnSpec<R> {
  field: keyof R & string;
  column: string;
  /** PostgreSQL type of the column, for the unnest() arrays of batch writes. */
  type: 'uuid' | 'text';
}

export interface TableSpec<R> {
  table: string;
  /** Columns a create or an update writes (besides id). */
  writable: ColumnSpec<R>[];
  /** Columns read back but only ever written by the database (timestamps). */
  readOnly: { field: keyof R & string; column: string }[];
  /** Soft-deleted rows stay in the table with deleted_at set and are invisible everywhere. */
  softDelete: boolean;
  /** List order, every column in the requested direction. */
  orderBy: string[];
  /** A unique index on (workspace_id, lower(name)), reported as a duplicate name when a write hits it. */
  uniqueName?: { index: string; resource: string };
}

/** The created_at/updated_at columns every such table has, read back as createdAt/updatedAt. */
export const TIMESTAMP_COLUMNS = [
  { field: 'createdAt', column: 'created_at' },
  { field: 'updatedAt', column: 'updated_at' },
] as const;

/**
 * One workspace's rows of one table. Every statement filters on the workspace id given at
 * construction; batch writes send one array per column (unnest), so any batch size is a
 * single statement within PostgreSQL's bind-parameter limit.
 */
export class WorkspaceTable<R extends W, W extends { id: string }> implements ResourceStore<R, W> {
  constructor(
    private readonly manager: EntityManager,
    private readonly spec: TableSpec<R>,
    readonly workspaceId: string,
  ) {
    if (!workspaceId) throw new Error('workspaceId is required');
  }

  private visible(alias = ''): string {
    return this.spec.softDelete ? `${alias ? `${alias}.` : ''}deleted_at IS NULL` : 'TRUE';
  }

  private selectList(alias = ''): string {
    const prefix = alias ? `${alias}.` : '';
    const columns = [{ field: 'id', column: 'id' }, ...this.spec.writable, ...this.spec.readOnly];
    return columns.map((c) => `${prefix}${c.column} AS "${c.field}"`).join(', ');
  }

  async list(options: ListOptions): Promise<{ items: R[]; total: number }> {
    const { table, orderBy } = this.spec;
    const params: unknown[] = [this.workspaceId];
    let where = `workspace_id = $1 AND ${this.visible()}`;
    if (options.ids) {
      params.push(options.ids);
      where += ` AND id = ANY($${params.length}::uuid[])`;
    }
    const direction = options.sort === 'asc' ? 'ASC' : 'DESC';
    const [items, [{ total }]] = await Promise.all([
      queryRows<R>(
        this.manager,
        `SELECT ${this.selectList()} FROM ${table} WHERE ${where}
         ORDER BY ${orderBy.map((c) => `${c} ${direction}`).join(', ')}
         LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, options.take, options.skip],
      ),
      queryRows<{ total: number }>(this.manager, `SELECT count(*)::int AS total FROM ${table} WHERE ${where}`, params),
    ]);
    return { items, total };
  }

  async existingIds(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await queryRows<{ id: string }>(
      this.manager,
      `SELECT id FROM ${this.spec.table} WHERE workspace_id = $1 AND ${this.visible()} AND id = ANY($2::uuid[])`,
      [this.workspaceId, ids],
    );
    return rows.map((r) => r.id);
  }

  /** The visible rows among `ids`, locked until the transaction ends (call inside one). */
  async lockByIds(ids: string[]): Promise<R[]> {
    if (!ids.length) return [];
    return queryRows<R>(
      this.manager,
      `SELECT ${this.selectList()} FROM ${this.spec.table}
       WHERE workspace_id = $1 AND ${this.visible()} AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
      [this.workspaceId, ids],
    );
  }

  /** Visible rows whose name equals one of `names`, ignoring case as the database's lower() does. */
  async withNames(names: string[]): Promise<R[]> {
    if (!names.length) return [];
    return queryRows<R>(
      this.manager,
      `SELECT ${this.selectList()} FROM ${this.spec.table}
       WHERE workspace_id = $1 AND ${this.visible()}
         AND lower(name) IN (SELECT lower(n) FROM unnest($2::text[]) AS n)`,
      [this.workspaceId, names],
    );
  }

  private columnArrays(rows: W[], firstParam: number): { casts: string[]; values: unknown[][] } {
    const columns = [{ field: 'id', type: 'uuid' }, ...this.spec.writable];
    return {
      casts: columns.map((c, i) => `$${firstParam + i}::${c.type}[]`),
      values: columns.map((c) => rows.map((r) => (r as Record<string, unknown>)[c.field] ?? null)),
    };
  }

  /** Inserts `rows` (ids chosen by the caller) and returns them as stored, in the given order. */
  async insert(rows: W[]): Promise<R[]> {
    if (!rows.length) return [];
    const { table, writable } = this.spec;
    const { casts, values } = this.columnArrays(rows, 2);
    const stored = await queryRows<R>(
      this.manager,
      `INSERT INTO ${table} (workspace_id, id, ${writable.map((c) => c.column).join(', ')})
       SELECT $1, * FROM unnest(${casts.join(', ')})
       RETURNING ${this.selectList()}`,
      [this.workspaceId, ...values],
    );
    return inOrderOf(rows, stored);
  }

  /** Writes every writable column of `rows` (existing, visible rows) and returns them as stored. */
  async update(rows: W[]): Promise<R[]> {
    if (!rows.length) return [];
    const { table, writable } = this.spec;
    const { casts, values } = this.columnArrays(rows, 2);
    const stored = await queryRows<R>(
      this.manager,
      `UPDATE ${table} AS t SET ${writable.map((c) => `${c.column} = v.${c.column}`).join(', ')}, updated_at = now()
       FROM unnest(${casts.join(', ')}) AS v(id, ${writable.map((c) => c.column).join(', ')})
       WHERE t.workspace_id = $1 AND ${this.visible('t')} AND t.id = v.id
       RETURNING ${this.selectList('t')}`,
      [this.workspaceId, ...values],
    );
    return inOrderOf(rows, stored);
  }

  /** Deletes the visible rows among `ids` (soft or hard as the table does); returns the ids it deleted. */
  async remove(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const { table, softDelete } = this.spec;
    const statement = softDelete
      ? `UPDATE ${table} SET deleted_at = now(), updated_at = now()
         WHERE workspace_id = $1 AND deleted_at IS NULL AND id = ANY($2::uuid[]) RETURNING id`
      : `DELETE FROM ${table} WHERE workspace_id = $1 AND id = ANY($2::uuid[]) RETURNING id`;
    const rows = await queryRows<{ id: string }>(this.manager, statement, [this.workspaceId, ids]);
    return rows.map((r) => r.id);
  }
}

function inOrderOf<R extends { id: string }>(wanted: { id: string }[], stored: R[]): R[] {
  const byId = new Map(stored.map((r) => [r.id, r]));
  return wanted.map((r) => {
    const row = byId.get(r.id);
    if (!row) throw new Error(`row ${r.id} was not written`);
    return row;
  });
}
