import type { Click } from './click';

/** Which clicks a live stream shows: bots only when asked for, optionally one link's, one partner's or one collection's. */
export interface LiveFilter {
  linkId?: string;
  partnerId?: string;
  /** Checked against the link→collection projection (links.v1), not by matchesLiveFilter. */
  collectionId?: string;
  includeBots: boolean;
}

/** The filter's conditions a click shows by itself (all but the collection). */
export function matchesLiveFilter(click: Click, filter: LiveFilter): boolean {
  if (click.bot && !filter.includeBots) return false;
  if (filter.linkId && click.linkId !== filter.linkId) return false;
  if (filter.partnerId && click.partnerId !== filter.partnerId) return false;
  return true;
}

/** A click on the wire between analytics instances (JSON: the date as ISO text). */
export function encodeLiveClicks(clicks: Click[]): string {
  return JSON.stringify(clicks);
}

export function decodeLiveClicks(message: string): Click[] {
  const parsed = JSON.parse(message) as (Omit<Click, 'createdAt'> & { createdAt: string })[];
  return parsed.map((c) => ({ ...c, createdAt: new Date(c.createdAt) }));
}

/** Clicks grouped by workspace, in their order: each workspace's stream gets one message per batch. */
export function byWorkspace(clicks: Click[]): Map<string, Click[]> {
  const groups = new Map<string, Click[]>();
  for (const click of clicks) {
    const group = groups.get(click.workspaceId);
    if (group) group.push(click);
    else groups.set(click.workspaceId, [click]);
  }
  return groups;
}
