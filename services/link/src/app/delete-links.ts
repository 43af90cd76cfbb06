import { DomainError, itemDetail } from '@hop/errors';
import { enqueueEvents } from '@hop/events';
import type { RequestContext } from '@hop/http';
import type { LinkDeps } from './ports';
import { routeIdOf } from '../domain/link-key';
import { linkDeleted, linkEventKey } from './link-events';

/**
 * Soft-deletes live links of the workspace, all or nothing: an id that is not one of them fails
 * the request and nothing is deleted. The routes go from Redis before the answer, so the links
 * stop redirecting at once; their clicks stay in analytics. Returns the deleted ids.
 */
export async function deleteLinks(deps: LinkDeps, ctx: RequestContext, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const now = new Date();
  const deleted = await deps.db.transaction(async (manager) => {
    await deps.store.lockWorkspace(manager, ctx.workspaceId);
    const rows = await deps.store.softDelete(manager, ctx.workspaceId, unique, now);
    if (rows.length !== unique.length) {
      const found = new Set(rows.map((r) => r.id));
      const unknown = ids.map((id, index) => ({ id, index })).filter(({ id }) => !found.has(id));
      // Throwing rolls the transaction back: nothing is deleted.
      throw new DomainError('RESOURCE_NOT_FOUND', {
        params: { resource: 'Link', ids: [...new Set(unknown.map((u) => u.id))].join(', ') },
        details: unknown.map(({ id, index }) => itemDetail(index, '', `Link ${id} not found in your workspace`)),
      });
    }
    await enqueueEvents(manager, 'links', rows.map((row) => linkDeleted(ctx.workspaceId, row, now)), linkEventKey);
    return rows;
  });
  await deps.routes.remove(deleted.map((row) => routeIdOf(row.domain, row.shortId)));
  deps.relay?.wake();
  return unique;
}
