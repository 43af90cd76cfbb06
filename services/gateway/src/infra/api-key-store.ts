import { queryRows } from '@hop/db';
import type { DataSource, EntityManager } from 'typeorm';
import type { PlanName } from '../domain/plans';
import type { KeyRecord } from '../domain/principal';
import type { ApiKey, ApiKeyStore, StoredApiKey } from '../app/ports';

/** api_keys as read back: every column of StoredApiKey (the creator as its two columns). */
const KEY_COLUMNS = `id, workspace_id AS "workspaceId", name, prefix, scopes, created_at AS "createdAt",
  last_used_at AS "lastUsedAt", expires_at AS "expiresAt", revoked_at AS "revokedAt", key_hash AS "hash",
  created_by_user_id AS "createdByUserId", created_by_key_id AS "createdByKeyId"`;

type KeyRow = Omit<StoredApiKey, 'createdBy'> & { createdByUserId: string | null; createdByKeyId: string | null };

const toStored = ({ createdByUserId, createdByKeyId, ...key }: KeyRow): StoredApiKey => ({
  ...key,
  createdBy: createdByUserId ? { type: 'user', id: createdByUserId } : createdByKeyId ? { type: 'key', id: createdByKeyId } : null,
});

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export class PgApiKeyStore implements ApiKeyStore {
  /** On the pool, or on a transaction's manager (the access context writes a key and its audit entry together). */
  constructor(private readonly db: DataSource | EntityManager) {}

  async insert(k: StoredApiKey): Promise<void> {
    await queryRows(
      this.db,
      `INSERT INTO api_keys (id, workspace_id, name, prefix, key_hash, scopes, created_at, last_used_at, expires_at, revoked_at,
         created_by_user_id, created_by_key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        k.id,
        k.workspaceId,
        k.name,
        k.prefix,
        k.hash,
        k.scopes,
        k.createdAt,
        k.lastUsedAt,
        k.expiresAt,
        k.revokedAt,
        k.createdBy?.type === 'user' ? k.createdBy.id : null,
        k.createdBy?.type === 'key' ? k.createdBy.id : null,
      ],
    );
  }

  async listByWorkspace(workspaceId: string): Promise<ApiKey[]> {
    const rows = await queryRows<KeyRow>(this.db, `SELECT ${KEY_COLUMNS} FROM api_keys WHERE workspace_id = $1 ORDER BY created_at`, [workspaceId]);
    return rows.map((row) => {
      const { hash: _hash, ...key } = toStored(row);
      return key;
    });
  }

  async get(id: string): Promise<StoredApiKey | null> {
    const [row] = await queryRows<KeyRow>(this.db, `SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = $1`, [id]);
    return row ? toStored(row) : null;
  }

  async revoke(id: string, at: Date, workspaceId?: string): Promise<StoredApiKey | null> {
    const rows = await queryRows(
      this.db,
      'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 AND ($3::uuid IS NULL OR workspace_id = $3) RETURNING id',
      [id, at, workspaceId ?? null],
    );
    return rows.length ? this.get(id) : null;
  }

  async hashesOfWorkspace(workspaceId: string): Promise<string[]> {
    const rows = await queryRows<{ key_hash: string }>(this.db, 'SELECT key_hash FROM api_keys WHERE workspace_id = $1', [workspaceId]);
    return rows.map((r) => r.key_hash);
  }

  async findRecordByHash(hash: string): Promise<KeyRecord | null> {
    const [row] = await queryRows<{
      id: string;
      workspace_id: string;
      scopes: string[];
      expires_at: Date | null;
      revoked_at: Date | null;
      plan: PlanName;
      rate_limit: number | null;
    }>(
      this.db,
      `SELECT k.id, k.workspace_id, k.scopes, k.expires_at, k.revoked_at, w.plan, w.rate_limit
         FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id
        WHERE k.key_hash = $1`,
      [hash],
    );
    if (!row) return null;
    return {
      keyId: row.id,
      workspaceId: row.workspace_id,
      scopes: row.scopes,
      expiresAt: iso(row.expires_at),
      revokedAt: iso(row.revoked_at),
      plan: row.plan,
      rateLimitOverride: row.rate_limit,
    };
  }

  async touch(lastUsed: ReadonlyMap<string, Date>): Promise<void> {
    if (!lastUsed.size) return;
    await queryRows(
      this.db,
      `UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, v.at)
         FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at)
        WHERE k.id = v.id`,
      [[...lastUsed.keys()], [...lastUsed.values()]],
    );
  }
}
