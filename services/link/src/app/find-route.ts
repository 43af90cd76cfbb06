import { toRoute, type Route } from '../domain/link';
import type { LinkDeps, RouteAddress } from './ports';

/** The route of a live short link, for the redirector when Redis misses; null if unknown or deleted. */
export async function findRoute(deps: LinkDeps, address: RouteAddress): Promise<Route | null> {
  const link = await deps.store.findLiveByRoute(deps.db, address);
  return link && toRoute(link);
}
