import type { DataSource, EntityManager, Repository } from 'typeorm';
import type { PlanName } from '../domain/plans';
import type { KeyRecord } from '../domain/principal';
import type { ApiKey, ApiKeyStore, StoredApiKey } from '../app/ports';
import { ApiKeyEntity } from './entities';
import { queryRows } from '@hop/db';

const toStored = (e: ApiKeyEntity): StoredApiKey => ({
  id: e.id,
  workspaceId: e.workspaceId,
  name: e.name,
  prefix: e.prefix,
  scopes: e.scopes,
  createdAt: e.createdAt,
  lastUsedAt: e.lastUsedAt,
  expiresAt: e.expiresAt,
  revokedAt: e.revokedAt,
  createdBy: e.createdByUserId ? { type: 'user', id: e.createdByUserId } : e.createdByKeyId ? { type: 'key', id: e.createdByKeyId } : null,
  hash: e.keyHash,
});

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export class PgApiKeyStore implements ApiKeyStore {
  private readonly repo: Repository<ApiKeyEntity>;

  /** On the pool, or on a transaction's manager (the access context writes a key and its audit entry together). */
  constructor(private readonly db: DataSource | EntityManager) {
    this.repo = db.getRepository(ApiKeyEntity);
  }

  async insert(k: StoredApiKey): Promise<void> {
    const { hash, createdBy, ...rest } = k;
    await this.repo.insert({
      ...rest,
      keyHash: hash,
      createdByUserId: createdBy?.type === 'user' ? createdBy.id : null,
      createdByKeyId: createdBy?.type === 'key' ? createdBy.id : null,
    });
  }

  async listByWorkspace(workspaceId: string): Promise<ApiKey[]> {
    const rows = await this.repo.find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
    return rows.map((row) => {
      const { hash: _hash, ...key } = toStored(row);
      return key;
    });
  }

  async get(id: string): Promise<StoredApiKey | null> {
    const found = await this.repo.findOneBy({ id });
    return found && toStored(found);
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
    await this.db.query(
      `UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, v.at)
         FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at)
        WHERE k.id = v.id`,
      [[...lastUsed.keys()], [...lastUsed.values()]],
    );
  }
}
