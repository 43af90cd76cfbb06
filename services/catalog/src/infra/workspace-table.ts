import type { EntityManager } from 'typeorm';
import type { ListOptions, ResourceStore } from '../app/ports';

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

/** UPDATE/DELETE … RETURNING answer [rows, count] through TypeORM, SELECT/INSERT answer rows. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number'
    ? (result[0] as T[])
    : (result as T[]);
}

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
      this.manager.query(
        `SELECT ${this.selectList()} FROM ${table} WHERE ${where}
         ORDER BY ${orderBy.map((c) => `${c} ${direction}`).join(', ')}
         LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, options.take, options.skip],
      ),
      this.manager.query(`SELECT count(*)::int AS total FROM ${table} WHERE ${where}`, params),
    ]);
    return { items, total };
  }

  async existingIds(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await this.manager.query(
      `SELECT id FROM ${this.spec.table} WHERE workspace_id = $1 AND ${this.visible()} AND id = ANY($2::uuid[])`,
      [this.workspaceId, ids],
    );
    return rows.map((r) => r.id);
  }

  /** The visible rows among `ids`, locked until the transaction ends (call inside one). */
  async lockByIds(ids: string[]): Promise<R[]> {
    if (!ids.length) return [];
    return this.manager.query(
      `SELECT ${this.selectList()} FROM ${this.spec.table}
       WHERE workspace_id = $1 AND ${this.visible()} AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
      [this.workspaceId, ids],
    );
  }

  /** Visible rows whose name equals one of `names`, ignoring case as the database's lower() does. */
  async withNames(names: string[]): Promise<R[]> {
    if (!names.length) return [];
    return this.manager.query(
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
    const stored: R[] = await this.manager.query(
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
    const result = await this.manager.query(
      `UPDATE ${table} AS t SET ${writable.map((c) => `${c.column} = v.${c.column}`).join(', ')}, updated_at = now()
       FROM unnest(${casts.join(', ')}) AS v(id, ${writable.map((c) => c.column).join(', ')})
       WHERE t.workspace_id = $1 AND ${this.visible('t')} AND t.id = v.id
       RETURNING ${this.selectList('t')}`,
      [this.workspaceId, ...values],
    );
    return inOrderOf(rows, rowsOf<R>(result));
  }

  /** Deletes the visible rows among `ids` (soft or hard as the table does); returns the ids it deleted. */
  async remove(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const { table, softDelete } = this.spec;
    const statement = softDelete
      ? `UPDATE ${table} SET deleted_at = now(), updated_at = now()
         WHERE workspace_id = $1 AND deleted_at IS NULL AND id = ANY($2::uuid[]) RETURNING id`
      : `DELETE FROM ${table} WHERE workspace_id = $1 AND id = ANY($2::uuid[]) RETURNING id`;
    const rows = rowsOf<{ id: string }>(await this.manager.query(statement, [this.workspaceId, ids]));
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
