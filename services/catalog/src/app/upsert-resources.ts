import { invalid, itemDetail, notFoundInWorkspace } from '@hop/errors';
import { applyChanges, repeatedIndexes, type Changes } from '../domain/batch';
import { newId } from '../domain/ids';
import type { ResourceDefinition } from './resource';

/**
 * Creates (items without id) and updates (items with id: only the given fields change, null
 * clears) in one transaction; any unknown id or broken rule fails the whole batch. POST is the
 * case where no item has an id. Returns the records in input order.
 */
export async function upsertResources<R extends W, W extends { id: string }>(
  resource: ResourceDefinition<R, W>,
  workspaceId: string,
  items: Changes<W>[],
): Promise<R[]> {
  const repeated = repeatedIndexes(items.map((item) => item.id));
  if (repeated.length) throw invalid(repeated.map((index) => itemDetail(index, 'id', 'appears more than once in the request')));
  const ids = items.flatMap((item) => (item.id ? [item.id] : []));

  return resource.access.write(workspaceId, async (store) => {
    const current = new Map((await store.lockByIds(ids)).map((row) => [row.id, row]));
    const missing = items.flatMap((item, index) => (item.id && !current.has(item.id) ? [{ index, id: item.id }] : []));
    if (missing.length) throw notFoundInWorkspace(resource.label, missing, 'id');

    const rows: W[] = items.map((item) => {
      const existing = item.id ? current.get(item.id) : undefined;
      return existing ? applyChanges<W, W>(existing, item) : resource.build(newId(), item);
    });
    await resource.checkBatch?.(store, rows.map((row, index) => ({ index, row })));
    const isUpdate = (index: number) => current.has(rows[index].id);
    const written = [
      ...(await store.update(rows.filter((_, i) => isUpdate(i)))),
      ...(await store.insert(rows.filter((_, i) => !isUpdate(i)))),
    ];
    const byId = new Map(written.map((row) => [row.id, row]));
    return rows.map((row) => byId.get(row.id) as R);
  });
}
