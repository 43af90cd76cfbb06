import { DomainError, itemDetail } from '@hop/errors';
import { enqueueEvents } from '@hop/events';
import type { RequestContext } from '@hop/http';
import type { LinkDeps } from './ports';
import { domainDeleted, domainEventKey } from './link-events';

/**
 * Deletes domains of the workspace, all or nothing. A domain that still has live links is
 * refused with their count (move them by PUT or delete them first): its short URLs would break.
 * A verified domain stops being served at once. Returns the deleted ids.
 */
export async function deleteDomains(deps: LinkDeps, ctx: RequestContext, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const now = new Date();
  const names = await deps.db.transaction(async (manager) => {
    await deps.store.lockWorkspace(manager, ctx.workspaceId);
    const found = new Map((await deps.domains.findForUpdate(manager, ctx.workspaceId, unique)).map((d) => [d.id, d]));
    const unknown = ids.map((id, index) => ({ id, index })).filter(({ id }) => !found.has(id));
    if (unknown.length) {
      throw new DomainError('RESOURCE_NOT_FOUND', {
        params: { resource: 'Domain', ids: [...new Set(unknown.map((u) => u.id))].join(', ') },
        details: unknown.map(({ id, index }) => itemDetail(index, '', `Domain ${id} not found in your workspace`)),
      });
    }
    const counts = await deps.store.countLiveOnDomains(manager, ctx.workspaceId, unique);
    const busy = ids.map((id, index) => ({ id, index, count: counts.get(id) ?? 0 })).filter((b) => b.count > 0);
    if (busy.length) {
      const first = busy[0];
      throw new DomainError('DOMAIN_HAS_LINKS', {
        params: { name: found.get(first.id)?.name ?? first.id, count: first.count },
        details: busy.map((b) => itemDetail(b.index, '', `${found.get(b.id)?.name} has ${b.count} links`)),
        extra: { linkCounts: Object.fromEntries(busy.map((b) => [b.id, b.count])) },
      });
    }
    await deps.domains.delete(manager, ctx.workspaceId, unique);
    const served = [...found.values()].filter((d) => d.status === 'verified');
    const version = now.getTime();
    await enqueueEvents(manager, 'domains', served.map((d) => domainDeleted(ctx.workspaceId, d.name, Math.max(version, d.updatedAt.getTime() + 1), now)), domainEventKey);
    return served.map((d) => d.name);
  });
  await deps.domainCache.remove(names);
  deps.relay?.wake();
  return unique;
}
