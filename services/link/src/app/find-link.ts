import type { ApiLink } from '../domain/link';
import type { LinkDeps } from './ports';
import { present } from './present';

/**
 * A link of the workspace as the Links API shows it, deleted ones included (flagged by deletedAt):
 * the conversion service attributes events to links deleted since the click.
 */
export async function findLink(deps: LinkDeps, workspaceId: string, linkId: string): Promise<(ApiLink & { deletedAt: string | null }) | null> {
  const link = await deps.store.findById(deps.db, workspaceId, linkId);
  return link && { ...present(deps, link), deletedAt: link.deletedAt?.toISOString() ?? null };
}
