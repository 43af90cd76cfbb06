import type { DataSource, Repository } from 'typeorm';
import type { PlanName } from '../domain/plans';
import type { KeyRecord } from '../domain/principal';
import type { ApiKey, ApiKeyStore, StoredApiKey } from '../app/ports';
import { ApiKeyEntity } from './entities';

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
  hash: e.keyHash,
});

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export class PgApiKeyStore implements ApiKeyStore {
  private readonly repo: Repository<ApiKeyEntity>;

  constructor(private readonly db: DataSource) {
    this.repo = db.getRepository(ApiKeyEntity);
  }

  async insert(k: StoredApiKey): Promise<void> {
    const { hash, ...rest } = k;
    await this.repo.insert({ ...rest, keyHash: hash });
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

  async revoke(id: string, at: Date): Promise<StoredApiKey | null> {
    await this.db.query('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1', [id, at]);
    return this.get(id);
  }

  async hashesOfWorkspace(workspaceId: string): Promise<string[]> {
    const rows: { key_hash: string }[] = await this.db.query('SELECT key_hash FROM api_keys WHERE workspace_id = $1', [
      workspaceId,
    ]);
    return rows.map((r) => r.key_hash);
  }

  async findRecordByHash(hash: string): Promise<KeyRecord | null> {
    const rows = await this.db.query(
      `SELECT k.id, k.workspace_id, k.scopes, k.expires_at, k.revoked_at, w.plan, w.rate_limit
         FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id
        WHERE k.key_hash = $1`,
      [hash],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      keyId: row.id,
      workspaceId: row.workspace_id,
      scopes: row.scopes,
      expiresAt: iso(row.expires_at),
      revokedAt: iso(row.revoked_at),
      plan: row.plan as PlanName,
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
