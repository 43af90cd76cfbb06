import type { DataSource, EntityManager } from 'typeorm';
import type { Partner, PartnerFields } from '../domain/partner';
import type { ListOptions, PartnerAccess, PartnerStore } from '../app/ports';

const SELECT = `id, name, email, phone, created_at AS "createdAt", updated_at AS "updatedAt"`;
const LIVE = 'deleted_at IS NULL';

/** UPDATE … RETURNING answers [rows, count] through TypeORM, SELECT/INSERT answer rows. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number'
    ? (result[0] as T[])
    : (result as T[]);
}

/** Rows as columns: one array per column, so a batch of any size is one statement (unnest). */
const columns = (rows: PartnerFields[]) => [rows.map((r) => r.id), rows.map((r) => r.name), rows.map((r) => r.email), rows.map((r) => r.phone)];

function inOrderOf(wanted: PartnerFields[], stored: Partner[]): Partner[] {
  const byId = new Map(stored.map((p) => [p.id, p]));
  return wanted.map((w) => {
    const row = byId.get(w.id);
    if (!row) throw new Error(`partner ${w.id} was not written`);
    return row;
  });
}

/** One workspace's partners: every statement filters on the workspace id given at construction. */
export class PartnerTable implements PartnerStore {
  constructor(
    private readonly manager: EntityManager,
    readonly workspaceId: string,
  ) {
    if (!workspaceId) throw new Error('workspaceId is required');
  }

  async list(options: ListOptions): Promise<{ items: Partner[]; total: number }> {
    const params: unknown[] = [this.workspaceId];
    let where = `workspace_id = $1 AND ${LIVE}`;
    if (options.ids) {
      params.push(options.ids);
      where += ` AND id = ANY($2::uuid[])`;
    }
    const direction = options.sort === 'asc' ? 'ASC' : 'DESC';
    const [items, [{ total }]] = await Promise.all([
      this.manager.query(
        `SELECT ${SELECT} FROM partners WHERE ${where} ORDER BY created_at ${direction}, id ${direction}
         LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, options.take, options.skip],
      ),
      this.manager.query(`SELECT count(*)::int AS total FROM partners WHERE ${where}`, params),
    ]);
    return { items, total };
  }

  async existingIds(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await this.manager.query(
      `SELECT id FROM partners WHERE workspace_id = $1 AND ${LIVE} AND id = ANY($2::uuid[])`,
      [this.workspaceId, ids],
    );
    return rows.map((r) => r.id);
  }

  async lockByIds(ids: string[]): Promise<Partner[]> {
    if (!ids.length) return [];
    return this.manager.query(
      `SELECT ${SELECT} FROM partners WHERE workspace_id = $1 AND ${LIVE} AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
      [this.workspaceId, ids],
    );
  }

  async insert(rows: PartnerFields[]): Promise<Partner[]> {
    if (!rows.length) return [];
    const stored: Partner[] = await this.manager.query(
      `INSERT INTO partners (workspace_id, id, name, email, phone)
       SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[])
       RETURNING ${SELECT}`,
      [this.workspaceId, ...columns(rows)],
    );
    return inOrderOf(rows, stored);
  }

  async update(rows: PartnerFields[]): Promise<Partner[]> {
    if (!rows.length) return [];
    const result = await this.manager.query(
      `UPDATE partners AS t SET name = v.name, email = v.email, phone = v.phone, updated_at = now()
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS v(id, name, email, phone)
       WHERE t.workspace_id = $1 AND t.${LIVE} AND t.id = v.id
       RETURNING t.id, t.name, t.email, t.phone, t.created_at AS "createdAt", t.updated_at AS "updatedAt"`,
      [this.workspaceId, ...columns(rows)],
    );
    return inOrderOf(rows, rowsOf<Partner>(result));
  }

  async softDelete(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const result = await this.manager.query(
      `UPDATE partners SET deleted_at = now(), updated_at = now()
       WHERE workspace_id = $1 AND ${LIVE} AND id = ANY($2::uuid[]) RETURNING id`,
      [this.workspaceId, ids],
    );
    return rowsOf<{ id: string }>(result).map((r) => r.id);
  }
}

export class PartnerTableAccess implements PartnerAccess {
  constructor(private readonly db: DataSource) {}

  read(workspaceId: string): PartnerStore {
    return new PartnerTable(this.db.manager, workspaceId);
  }

  write<T>(workspaceId: string, work: (store: PartnerStore) => Promise<T>): Promise<T> {
    return this.db.transaction((manager) => work(new PartnerTable(manager, workspaceId)));
  }
}
