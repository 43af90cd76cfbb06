import { DomainError } from '@hop/errors';
import type { Logger } from '@hop/telemetry';
import type { Click } from '../domain/click';
import { matchesLiveFilter, type LiveFilter } from '../domain/live';
import { isUuid } from '../domain/uuid';
import type { LinkCollectionStore } from './ports';

/**
 * Clicks as they are stored, shared between analytics instances: every instance's ingestion
 * publishes, any instance serves a workspace's stream (each consumes only some partitions).
 */
export interface LiveClickFeed {
  /** Best effort: live clicks are a view, the stored rows are the data. */
  publish(clicks: Click[]): Promise<void>;
  /** Resolves once subscribed (clicks stored from then on reach `listener`); returns the unsubscribe. */
  subscribe(workspaceId: string, listener: (clicks: Click[]) => void): Promise<() => void>;
}

export interface LiveClicksDeps {
  feed: LiveClickFeed;
  linkCollections: Pick<LinkCollectionStore, 'inCollection'>;
  logger: Pick<Logger, 'warn'>;
}

/**
 * GET /api/analytics/live: the workspace's clicks matching `filter`, as they are stored, until the
 * returned stop is called. With a collection, each batch's links are looked up in the projection of
 * links.v1 (so a link moved into the collection counts from then on), batches kept in their order.
 */
export async function followLiveClicks(
  deps: LiveClicksDeps,
  workspaceId: string,
  filter: LiveFilter,
  onClick: (click: Click) => void,
): Promise<() => void> {
  if (!isUuid(workspaceId)) throw new DomainError('NOT_FOUND');
  const { collectionId } = filter;
  let stopped = false;
  let previous = Promise.resolve();
  const unsubscribe = await deps.feed.subscribe(workspaceId, (clicks) => {
    const matching = clicks.filter((click) => matchesLiveFilter(click, filter));
    if (matching.length === 0) return;
    if (!collectionId) {
      matching.forEach(onClick);
      return;
    }
    previous = previous
      .then(async () => {
        const members = await deps.linkCollections.inCollection(workspaceId, collectionId, [...new Set(matching.map((click) => click.linkId))]);
        for (const click of matching) if (!stopped && members.has(click.linkId)) onClick(click);
      })
      // best effort, as the feed is: a failed lookup leaves that batch out of the view, never the data
      .catch((err: unknown) => deps.logger.warn({ err }, 'live clicks: collection lookup failed, batch left out'));
  });
  return () => {
    stopped = true;
    unsubscribe();
  };
}
