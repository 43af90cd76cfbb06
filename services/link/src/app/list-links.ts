import type { Link } from '../domain/link';
import type { LinkDeps, LinkFilter, LinkPageRequest } from './ports';

/** A page of the workspace's live links (deleted links never appear) and the total matching. */
export function listLinks(deps: LinkDeps, workspaceId: string, filter: LinkFilter, page: LinkPageRequest): Promise<{ links: Link[]; total: number }> {
  return deps.store.list(deps.db, workspaceId, filter, page);
}
