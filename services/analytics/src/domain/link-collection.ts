/** Which collection a link is in, as of a link version (links.v1's route.collectionId and route.version). */
export interface LinkCollection {
  linkId: string;
  workspaceId: string;
  collectionId: string;
  version: number;
}

/**
 * The newest entry per link among `entries` (a batch may carry a link twice: a moved link's
 * routes, or two saves), so one upsert statement touches each link once.
 */
export function newestPerLink(entries: LinkCollection[]): LinkCollection[] {
  const newest = new Map<string, LinkCollection>();
  for (const entry of entries) {
    const known = newest.get(entry.linkId);
    if (!known || entry.version >= known.version) newest.set(entry.linkId, entry);
  }
  return [...newest.values()];
}
