import { DomainError } from '@hop/errors';
import { auditEntry, OPERATOR_CALLER, type Caller } from '../domain/audit';
import type { AdminDeps, ApiKey } from './ports';
import { requireUuid } from './schemas';

/**
 * Revokes a key for good (within `workspaceId` when a workspace's caller asks). The cache entry is
 * overwritten with the revoked record (not just deleted), so a lookup racing with the revocation
 * cannot put the key back as valid and the next request with it fails.
 */
export async function revokeApiKey(
  deps: Pick<AdminDeps, 'keys' | 'keyCache' | 'access'>,
  keyId: unknown,
  scope: { workspaceId?: string; caller: Caller } = { caller: OPERATOR_CALLER },
): Promise<ApiKey> {
  const id = requireUuid('keyId', keyId);
  const revoked = await deps.access.transaction(async (tx) => {
    const key = await tx.keys.revoke(id, new Date(), scope.workspaceId);
    if (key) {
      const details = { name: key.name, prefix: key.prefix };
      await tx.appendAudit(auditEntry(key.workspaceId, scope.caller, 'key.revoked', { type: 'key', id }, details));
    }
    return key;
  });
  if (!revoked) {
    throw new DomainError('NOT_FOUND', { details: [{ path: 'keyId', field: 'keyId', message: `no API key with id ${id}` }] });
  }
  const record = await deps.keys.findRecordByHash(revoked.hash);
  if (record) await deps.keyCache.put(revoked.hash, record);
  const { hash: _hash, ...apiKey } = revoked;
  return apiKey;
}
