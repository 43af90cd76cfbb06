import { claimUnprocessed, type TopicEvent } from '@hop/events';
import type { LinkDeps } from './ports';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The consumer name under which handled catalog events are recorded. */
export const TAG_CLEANUP_CONSUMER = 'link.tag-cleanup';

/**
 * A tag deleted in catalog disappears from its links. Idempotent: each event is applied once,
 * in the same transaction that records it as processed. Tags are not part of routes, so routes
 * stay as they are.
 */
export async function dropDeletedTags(deps: Pick<LinkDeps, 'db' | 'store'>, events: TopicEvent<'catalog'>[]): Promise<void> {
  // A workspace id that is not a UUID cannot own links; skipping it keeps a bad event from blocking the partition.
  const tagEvents = events.filter((e): e is Extract<typeof e, { type: 'tag.deleted' }> => e.type === 'tag.deleted' && UUID.test(e.workspaceId));
  if (!tagEvents.length) return;
  await deps.db.transaction(async (manager) => {
    const fresh = await claimUnprocessed(manager, TAG_CLEANUP_CONSUMER, tagEvents.map((e) => e.id));
    for (const event of tagEvents) {
      if (!fresh.has(event.id)) continue;
      await deps.store.lockWorkspace(manager, event.workspaceId);
      await deps.store.removeTag(manager, event.workspaceId, event.data.tagId, new Date());
    }
  });
}
