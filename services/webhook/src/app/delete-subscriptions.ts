import { notFoundInWorkspace } from '@hop/errors';
import type { WebhookAccess } from './ports';

/** Soft-deletes every id or none; their pending deliveries are dropped with them. */
export function deleteSubscriptions(access: WebhookAccess, workspaceId: string, ids: string[]): Promise<string[]> {
  const wanted = [...new Set(ids)];
  return access.write(workspaceId, async (store) => {
    const deleted = new Set(await store.softDelete(wanted));
    const missing = ids.flatMap((id, index) => (deleted.has(id) ? [] : [{ index, id }]));
    if (missing.length) throw notFoundInWorkspace('Webhook', missing);
    return wanted;
  });
}
