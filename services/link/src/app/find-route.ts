import { toRoute, type Route } from '../domain/link';
import type { LinkDeps } from './deps';

/** The route of a live short link, for the redirector when Redis misses; null if unknown or deleted. */
export async function findRoute(deps: LinkDeps, shortId: string): Promise<Route | null> {
  const link = await deps.store.findLiveByShortId(deps.db, shortId);
  return link && toRoute(link);
}
