import { invalid, itemDetail, notFoundInWorkspace } from '@hop/errors';
import { newId } from '../domain/ids';
import { applyChanges, newPartner, repeatedIndexes, type Partner, type PartnerChanges, type PartnerFields } from '../domain/partner';
import type { PartnerAccess } from './ports';

/**
 * Creates (items without id) and updates (items with id: only the given fields change, null
 * clears) in one transaction; an unknown id fails the whole batch. POST is the case where no
 * item has an id. Returns the partners in input order.
 */
export async function upsertPartners(access: PartnerAccess, workspaceId: string, items: PartnerChanges[]): Promise<Partner[]> {
  const repeated = repeatedIndexes(items.map((item) => item.id));
  if (repeated.length) throw invalid(repeated.map((index) => itemDetail(index, 'id', 'appears more than once in the request')));
  const ids = items.flatMap((item) => (item.id ? [item.id] : []));

  return access.write(workspaceId, async (store) => {
    const current = new Map((await store.lockByIds(ids)).map((p) => [p.id, p]));
    const missing = items.flatMap((item, index) => (item.id && !current.has(item.id) ? [{ index, id: item.id }] : []));
    if (missing.length) throw notFoundInWorkspace('Partner', missing, 'id');

    const rows: PartnerFields[] = items.map((item) => {
      const existing = item.id ? current.get(item.id) : undefined;
      return existing ? applyChanges(existing, item) : newPartner(newId(), item);
    });
    const written = [
      ...(await store.update(rows.filter((row) => current.has(row.id)))),
      ...(await store.insert(rows.filter((row) => !current.has(row.id)))),
    ];
    const byId = new Map(written.map((p) => [p.id, p]));
    return rows.map((row) => byId.get(row.id) as Partner);
  });
}
