import { notFoundInWorkspace } from '@hop/errors';
import { unique } from '../domain/batch';
import type { ResourceDefinition } from './resource';

/**
 * Deletes every id or none: an id that is not a live record of the workspace fails the request
 * and rolls back the rest. Deletion events go to the outbox in the same transaction.
 */
export async function deleteResources<R extends W, W extends { id: string }>(
  resource: ResourceDefinition<R, W>,
  workspaceId: string,
  ids: string[],
): Promise<string[]> {
  const wanted = unique(ids);
  return resource.access.write(workspaceId, async (store, outbox) => {
    const deleted = new Set(await store.remove(wanted));
    const missing = ids.flatMap((id, index) => (deleted.has(id) ? [] : [{ index, id }]));
    if (missing.length) throw notFoundInWorkspace(resource.label, missing);
    const eventOf = resource.deletedEvent;
    if (eventOf) await outbox.enqueue(wanted.map((id) => ({ key: id, event: eventOf(workspaceId, id) })));
    return wanted;
  });
}
