import { DomainError } from '@hop/errors';
import type { Click } from '../domain/click';
import { matchesLiveFilter, type LiveFilter } from '../domain/live';
import { isUuid } from '../domain/uuid';

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

/** GET /api/analytics/live: the workspace's clicks matching `filter`, as they are stored, until the returned stop is called. */
export async function followLiveClicks(
  deps: { feed: LiveClickFeed },
  workspaceId: string,
  filter: LiveFilter,
  onClick: (click: Click) => void,
): Promise<() => void> {
  if (!isUuid(workspaceId)) throw new DomainError('NOT_FOUND');
  return deps.feed.subscribe(workspaceId, (clicks) => {
    for (const click of clicks) if (matchesLiveFilter(click, filter)) onClick(click);
  });
}
