import { canonical, isUuid } from '../domain/ids';
import { unique } from '../domain/partner';
import type { PartnerAccess } from './ports';

/**
 * Which of `ids` are live partners of the workspace, as the caller spelled them (input order, no
 * repeats); UUIDs compare case-insensitively and non-UUIDs never exist.
 */
export async function lookupPartners(access: PartnerAccess, workspaceId: string, ids: string[]): Promise<string[]> {
  const candidates = unique(ids.filter(isUuid));
  const existing = new Set(await access.read(workspaceId).existingIds(candidates.map(canonical)));
  return candidates.filter((id) => existing.has(canonical(id)));
}
