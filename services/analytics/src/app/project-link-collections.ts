import type { TopicEvent } from '@hop/events';
import { newestPerLink, type LinkCollection } from '../domain/link-collection';
import type { AnalyticsPorts } from './ports';
import { withWorkspace } from './with-workspace';

/**
 * links.v1 → which collection each link is in, for reports filtered by collection (clicks carry
 * no collection). Only link.upserted says it; a deleted or moved link keeps its last collection,
 * so its past clicks still count there. Idempotent: an older version never replaces a newer one.
 */
export async function projectLinkCollections(deps: Pick<AnalyticsPorts, 'linkCollections' | 'logger'>, events: TopicEvent<'links'>[]): Promise<void> {
  const entries: LinkCollection[] = [];
  for (const event of withWorkspace(events, deps.logger)) {
    if (event.type !== 'link.upserted') continue;
    const { linkId, workspaceId, collectionId, version } = event.data.route;
    // events written before routes carried the collection say nothing about it
    if (collectionId) entries.push({ linkId, workspaceId, collectionId, version });
  }
  if (entries.length) await deps.linkCollections.upsert(newestPerLink(entries));
}
