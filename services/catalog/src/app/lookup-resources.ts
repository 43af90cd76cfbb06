import { unique } from '../domain/batch';
import { canonical, isUuid } from '../domain/ids';
import type { ResourceDefinition } from './resource';

/**
 * Which of `ids` are live records of the workspace, as the caller spelled them (input order, no
 * repeats); UUIDs compare case-insensitively and non-UUIDs never exist.
 */
export async function lookupResources<R extends W, W extends { id: string }>(
  resource: ResourceDefinition<R, W>,
  workspaceId: string,
  ids: string[],
): Promise<string[]> {
  const candidates = unique(ids.filter(isUuid));
  const existing = new Set(await resource.access.read(workspaceId).existingIds(candidates.map(canonical)));
  return candidates.filter((id) => existing.has(canonical(id)));
}
