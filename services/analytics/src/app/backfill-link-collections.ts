import type { LinkCollection } from '../domain/link-collection';
import type { AnalyticsPorts, Backfills, LinkCollectionSource } from './ports';

const BACKFILL = 'link_collections';

export type BackfillDeps = Pick<AnalyticsPorts, 'linkCollections' | 'logger'> & { backfills: Backfills; linkSource: LinkCollectionSource };

/**
 * Fills link_collections from the link service for links whose last links.v1 event predates
 * events carrying the collection (deployments upgraded from before it), once per database.
 * Upserts follow the projection's rule (an older version never replaces a newer one), so it
 * races the links.v1 consumer safely. The cursor is saved after each page: a restart resumes.
 * 'busy' while another instance runs it; 'stopped' when `signal` aborts between pages.
 */
export async function backfillLinkCollections(deps: BackfillDeps, signal: AbortSignal): Promise<'done' | 'busy' | 'stopped'> {
  const outcome = await deps.backfills.exclusive(BACKFILL, async () => {
    const progress = await deps.backfills.progress(BACKFILL);
    if (progress.done) return 'done' as const;
    let cursor = progress.cursor;
    let links = 0;
    deps.logger.info({ backfill: BACKFILL, cursor }, 'backfill starting');
    while (!signal.aborted) {
      const page = await deps.linkSource.page(cursor);
      // links without a collection have no row, as in the projection; a page holds each link once
      const entries = page.links.filter((l): l is LinkCollection => l.collectionId !== null);
      if (entries.length) await deps.linkCollections.upsert(entries);
      links += page.links.length;
      cursor = page.next;
      await deps.backfills.save(BACKFILL, { cursor, done: cursor === null });
      deps.logger.info({ backfill: BACKFILL, links, cursor }, 'backfill progress');
      if (cursor === null) {
        deps.logger.info({ backfill: BACKFILL, links }, 'backfill finished');
        return 'done' as const;
      }
    }
    return 'stopped' as const;
  });
  return outcome ?? 'busy';
}
