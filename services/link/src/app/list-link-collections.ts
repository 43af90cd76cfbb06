import type { LinkCollectionEntry, LinkDeps } from './ports';

export interface LinkCollectionsPage {
  links: LinkCollectionEntry[];
  /** The cursor of the next page; null on the last one. */
  next: string | null;
}

/**
 * One page of every workspace's links with their collection and version, for the analytics
 * service's one-off backfill of its link → collection projection (links.v1 is not re-published:
 * the webhook service would deliver a link.updated for each link).
 */
export async function listLinkCollections(deps: Pick<LinkDeps, 'db' | 'store'>, after: string | null, limit: number): Promise<LinkCollectionsPage> {
  const links = await deps.store.collectionsPage(deps.db, after, limit);
  return { links, next: links.length === limit ? links[links.length - 1].linkId : null };
}
