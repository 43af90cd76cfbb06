import { notFoundInWorkspace } from '@hop/errors';
import { unique } from '../domain/partner';
import type { PartnerAccess } from './ports';

/**
 * Soft-deletes every id or none: an id that is not a live partner of the workspace fails the
 * request and rolls back the rest. Links keep their partnerId and their analytics.
 */
export async function deletePartners(access: PartnerAccess, workspaceId: string, ids: string[]): Promise<string[]> {
  const wanted = unique(ids);
  return access.write(workspaceId, async (store) => {
    const deleted = new Set(await store.remove(wanted));
    const missing = ids.flatMap((id, index) => (deleted.has(id) ? [] : [{ index, id }]));
    if (missing.length) throw notFoundInWorkspace('Partner', missing);
    return wanted;
  });
}
