import { DomainError } from '@hop/errors';
import type { DomainFilter, DomainStore as DomainStorePort, PageRequest, Queryable } from '../app/ports';
import type { CustomDomain, DomainStatus } from '../domain/custom-domain';
import { columnMapping, type Row } from './columns';
import { uniqueViolation } from './unique-violation';

const COLUMNS = [
  ['id', 'id', 'uuid'],
  ['workspace_id', 'workspaceId', 'uuid'],
  ['name', 'name', 'text'],
  ['status', 'status', 'text'],
  ['verification_token', 'verificationToken', 'text'],
  ['verified_at', 'verifiedAt', 'timestamptz'],
  ['last_checked_at', 'lastCheckedAt', 'timestamptz'],
  ['is_primary', 'primary', 'boolean'],
  ['root_redirect_url', 'rootRedirectUrl', 'text'],
  ['not_found_url', 'notFoundUrl', 'text'],
  ['created_at', 'createdAt', 'timestamptz'],
  ['updated_at', 'updatedAt', 'timestamptz'],
  ['verified_without_dns', 'verifiedWithoutDns', 'boolean'],
  ['failed_checks', 'failedChecks', 'int'],
  ['unverified_since', 'unverifiedSince', 'timestamptz'],
] as const satisfies readonly (readonly [string, keyof CustomDomain, string])[];

const SELECT = COLUMNS.map(([column]) => `d.${column}`).join(', ');
const { recordType: RECORD_TYPE, recordFields: RECORD_FIELDS, fromRow } = columnMapping<CustomDomain>(COLUMNS);

/** SQL over the domains table; every method is scoped to a workspace except the redirector's and the checker's. */
export class DomainStore implements DomainStorePort {
  async count(q: Queryable, workspaceId: string): Promise<number> {
    const [row] = await q.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM domains WHERE workspace_id = $1`, [workspaceId]);
    return row.n;
  }

  async list(q: Queryable, workspaceId: string, filter: DomainFilter, page: PageRequest): Promise<{ domains: CustomDomain[]; total: number }> {
    const params: unknown[] = [workspaceId];
    const where = ['d.workspace_id = $1'];
    if (filter.names?.length) where.push(`d.name = ANY($${params.push(filter.names)}::text[])`);
    if (filter.statuses?.length) where.push(`d.status = ANY($${params.push(filter.statuses)}::text[])`);
    const condition = where.join(' AND ');
    const direction = page.sort === 'asc' ? 'ASC' : 'DESC';
    const [rows, [{ total }]] = await Promise.all([
      q.query<Row[]>(`SELECT ${SELECT} FROM domains d WHERE ${condition} ORDER BY d.created_at ${direction}, d.name LIMIT ${page.take} OFFSET ${page.skip}`, params),
      q.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM domains d WHERE ${condition}`, params),
    ]);
    return { domains: rows.map(fromRow), total };
  }

  /** The workspace's domains among `ids`, locked for update. */
  async findForUpdate(q: Queryable, workspaceId: string, ids: string[]): Promise<CustomDomain[]> {
    if (!ids.length) return [];
    const rows = await q.query<Row[]>(`SELECT ${SELECT} FROM domains d WHERE d.workspace_id = $1 AND d.id = ANY($2::uuid[]) FOR UPDATE`, [workspaceId, ids]);
    return rows.map(fromRow);
  }

  async findByName(q: Queryable, workspaceId: string, name: string): Promise<CustomDomain | null> {
    const [row] = await q.query<(Row | undefined)[]>(`SELECT ${SELECT} FROM domains d WHERE d.workspace_id = $1 AND d.name = $2`, [workspaceId, name]);
    return row ? fromRow(row) : null;
  }

  /** The workspace's verified domains named `names`, and its primary one if verified. */
  async usable(q: Queryable, workspaceId: string, names: string[]): Promise<{ byName: Map<string, CustomDomain>; primary: CustomDomain | null }> {
    const rows: Row[] = await q.query(
      `SELECT ${SELECT} FROM domains d WHERE d.workspace_id = $1 AND d.status = 'verified' AND (d.name = ANY($2::text[]) OR d.is_primary)`,
      [workspaceId, names],
    );
    const domains = rows.map(fromRow);
    return { byName: new Map(domains.map((d) => [d.name, d])), primary: domains.find((d) => d.primary) ?? null };
  }

  /** Names among `names` that a workspace other than `workspaceId` has verified. */
  async verifiedElsewhere(q: Queryable, workspaceId: string, names: string[]): Promise<Set<string>> {
    if (!names.length) return new Set();
    const rows: { name: string }[] = await q.query(
      `SELECT name FROM domains WHERE status = 'verified' AND workspace_id <> $1 AND name = ANY($2::text[])`,
      [workspaceId, names],
    );
    return new Set(rows.map((r) => r.name));
  }

  /** The verified domain of that name, in whichever workspace holds it (the redirector's lookup). */
  async findVerified(q: Queryable, name: string): Promise<CustomDomain | null> {
    const [row] = await q.query<(Row | undefined)[]>(`SELECT ${SELECT} FROM domains d WHERE d.name = $1 AND d.status = 'verified'`, [name]);
    return row ? fromRow(row) : null;
  }

  /** Inserts or rewrites whole domains (the caller merged the changes). */
  async save(q: Queryable, domains: CustomDomain[]): Promise<void> {
    if (!domains.length) return;
    const updates = COLUMNS.filter(([column]) => !['id', 'workspace_id', 'name', 'created_at'].includes(column))
      .map(([column]) => `${column} = EXCLUDED.${column}`)
      .join(', ');
    try {
      await q.query(
        `INSERT INTO domains (${COLUMNS.map(([c]) => c).join(', ')})
         SELECT ${RECORD_FIELDS} FROM json_to_recordset($1::json) AS v(${RECORD_TYPE})
         ON CONFLICT (id) DO UPDATE SET ${updates}`,
        [JSON.stringify(domains)],
      );
    } catch (err) {
      // Two workspaces verifying one name at once: the unique index lets one win; the other is told so.
      const taken = uniqueViolation(err, 'domains_verified_name');
      if (taken === null) throw err;
      const name = /=\((.*)\) already exists/.exec(taken)?.[1] ?? domains.map((d) => d.name).join(', ');
      throw new DomainError('DOMAIN_TAKEN', { params: { names: name } });
    }
  }

  /** Clears the primary flag of the workspace's other domains. */
  async clearPrimary(q: Queryable, workspaceId: string, exceptId: string, now: Date): Promise<void> {
    await q.query(`UPDATE domains SET is_primary = false, updated_at = GREATEST($3, updated_at + interval '1 millisecond') WHERE workspace_id = $1 AND is_primary AND id <> $2`, [
      workspaceId,
      exceptId,
      now,
    ]);
  }

  async delete(q: Queryable, workspaceId: string, ids: string[]): Promise<void> {
    await q.query(`DELETE FROM domains WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, ids]);
  }

  /**
   * Claims up to `limit` domains due for a periodic check and marks them checked now, so other
   * instances skip them (`SKIP LOCKED`: rows another claim holds are passed over, not waited for).
   * Due: unverified domains last checked before `unverified.before` (or never), while their window
   * is open (added, or lost their verification, after `unverified.windowStart`) or still `pending`;
   * verified domains (not operator-verified) last checked before `verifiedBefore`.
   */
  async claimDue(
    q: Queryable,
    due: { unverified: { before: Date; windowStart: Date }; verifiedBefore: Date | null },
    now: Date,
    limit: number,
  ): Promise<{ workspaceId: string; id: string; status: DomainStatus }[]> {
    const rows: { workspace_id: string; id: string; status: DomainStatus }[] = await q.query(
      `WITH unverified AS (
         SELECT id FROM domains WHERE status <> 'verified' AND (last_checked_at IS NULL OR last_checked_at < $1)
           AND (status = 'pending' OR coalesce(unverified_since, created_at) >= $2)
         ORDER BY last_checked_at NULLS FIRST LIMIT $5 FOR UPDATE SKIP LOCKED),
       verified AS (
         SELECT id FROM domains WHERE $3::timestamptz IS NOT NULL AND status = 'verified' AND NOT verified_without_dns
           AND (last_checked_at IS NULL OR last_checked_at < $3)
         ORDER BY last_checked_at NULLS FIRST LIMIT $5 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE domains d SET last_checked_at = $4 WHERE d.id IN (SELECT id FROM unverified UNION ALL SELECT id FROM verified)
         RETURNING d.workspace_id, d.id, d.status)
       SELECT * FROM claimed`,
      [due.unverified.before, due.unverified.windowStart, due.verifiedBefore, now, limit],
    );
    return rows.map((r) => ({ workspaceId: r.workspace_id, id: r.id, status: r.status }));
  }
}
