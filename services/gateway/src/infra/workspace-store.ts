import { queryRows } from '@hop/db';
import type { DataSource, EntityManager } from 'typeorm';
import type { Workspace, WorkspaceStore } from '../app/ports';

const WORKSPACE_COLUMNS = `id, name, plan, rate_limit AS "rateLimitOverride", created_at AS "createdAt"`;

export class PgWorkspaceStore implements WorkspaceStore {
  /** On the pool, or on a transaction's manager (a settings change and its audit entry commit together). */
  constructor(private readonly db: DataSource | EntityManager) {}

  async insert(w: Workspace, options: { ifAbsent?: boolean } = {}): Promise<void> {
    await queryRows(
      this.db,
      `INSERT INTO workspaces (id, name, plan, rate_limit, created_at) VALUES ($1, $2, $3, $4, $5)
       ${options.ifAbsent ? 'ON CONFLICT DO NOTHING' : ''}`,
      [w.id, w.name, w.plan, w.rateLimitOverride, w.createdAt],
    );
  }

  list(): Promise<Workspace[]> {
    return queryRows<Workspace>(this.db, `SELECT ${WORKSPACE_COLUMNS} FROM workspaces ORDER BY created_at`);
  }

  async get(id: string): Promise<Workspace | null> {
    const [row] = await queryRows<Workspace>(this.db, `SELECT ${WORKSPACE_COLUMNS} FROM workspaces WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** Sets the given fields (at least one; the use case's schema requires it). */
  async update(id: string, changes: Partial<Pick<Workspace, 'plan' | 'rateLimitOverride'>>): Promise<Workspace | null> {
    const [row] = await queryRows<Workspace>(
      this.db,
      `UPDATE workspaces SET plan = CASE WHEN $2::boolean THEN $3::text ELSE plan END,
          rate_limit = CASE WHEN $4::boolean THEN $5::integer ELSE rate_limit END
        WHERE id = $1 RETURNING ${WORKSPACE_COLUMNS}`,
      [id, changes.plan !== undefined, changes.plan ?? null, changes.rateLimitOverride !== undefined, changes.rateLimitOverride ?? null],
    );
    return row ?? null;
  }
}
