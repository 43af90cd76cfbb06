import { DomainError } from '@hop/errors';
import type { AdminDeps, ApiKey } from './ports';
import { requireUuid } from './schemas';

/**
 * Revokes a key for good. The cache entry is overwritten with the revoked record (not just
 * deleted), so a lookup racing with the revocation cannot put the key back as valid.
 */
export async function revokeApiKey(deps: AdminDeps, keyId: string): Promise<ApiKey> {
  requireUuid('keyId', keyId);
  const revoked = await deps.keys.revoke(keyId, new Date());
  if (!revoked) {
    throw new DomainError('NOT_FOUND', { details: [{ path: 'keyId', field: 'keyId', message: `no API key with id ${keyId}` }] });
  }
  const record = await deps.keys.findRecordByHash(revoked.hash);
  if (record) await deps.keyCache.put(revoked.hash, record);
  const { hash: _hash, ...apiKey } = revoked;
  return apiKey;
}
