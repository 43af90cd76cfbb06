import { randomUUID } from 'node:crypto';
import { DomainError } from '@hop/errors';
import { enqueueEvents } from '@hop/events';
import type { RequestContext } from '@hop/http';
import { applyChanges, newLink, toRoute, type ApiLink, type Link, type LinkChanges, type Route, type SealPassword } from '../domain/link';
import { hashLinkPassword } from '../domain/password-hash';
import { freshShortId } from '../domain/short-id';
import { routeIdOf } from '../domain/link-key';
import {
  rejectDuplicateIds,
  rejectExternalIdConflicts,
  rejectKeyConflicts,
  rejectMissingFeatures,
  rejectUnknownLinks,
  rejectUnknownReferences,
} from './batch-checks';
import type { LeftRoute, LinkDeps } from './ports';
import { present } from './present';
import { linkEventKey, linkMoved, linkUpserted } from './link-events';
import { placeLinks } from './place-links';

/** One item of a POST (never an id) or PUT (an id updates that link, none creates one) body. */
export interface LinkItem extends LinkChanges {
  id?: string;
  /** The host of the link's domain (see placeLinks); null: the default domain. */
  domain?: string | null;
}

/** What a write produced: the links, their routes, and the routes links moved away from. */
interface Written {
  links: Link[];
  routes: Route[];
  left: LeftRoute[];
}

/** A new link's short id is already taken (62^7 ids make this practically never happen). */
class ShortIdTaken extends Error {}

/** Transactions tried when short ids collide; each try draws new ones. */
const SHORT_ID_ATTEMPTS = 5;

/** Resolves once pending microtasks ran, i.e. once queries already started have been sent to PostgreSQL. */
const queriesSent = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Creates and updates links, all or nothing: every check passes for every item before anything is
 * written; the links, their outbox events (links.v1) and — after commit, before answering — their
 * Redis routes are written together. Returns the links in input order.
 */
export async function saveLinks(deps: LinkDeps, ctx: RequestContext, items: LinkItem[]): Promise<ApiLink[]> {
  rejectMissingFeatures(items, ctx.features);
  rejectDuplicateIds(items);
  await rejectUnknownReferences(deps.references, ctx, items);

  let saved: Written;
  for (let attempt = 1; ; attempt++) {
    try {
      saved = await writeLinks(deps, ctx, items);
      break;
    } catch (err) {
      // Unique violations the checks could not foresee come from the store as EXTERNAL_ID_TAKEN / KEY_TAKEN.
      if (err instanceof ShortIdTaken && attempt < SHORT_ID_ATTEMPTS) continue;
      throw err;
    }
  }
  // The answer is built while Redis runs the route writes; it is sent only once they are done.
  // Old routes go first: a key a moved link released may be taken by another link of the batch.
  const { left, routes } = saved;
  const writingRoutes = (async () => {
    await deps.routes.remove(left.map((l) => routeIdOf(l.domain, l.shortId)));
    await deps.routes.put(routes);
  })();
  const answer = saved.links.map((link) => present(deps, link));
  await writingRoutes;
  deps.relay?.wake();
  return answer;
}

async function writeLinks(deps: LinkDeps, ctx: RequestContext, items: LinkItem[]): Promise<Written> {
  const { store } = deps;
  const workspaceId = ctx.workspaceId;
  const seal: SealPassword = (password) => ({ cipher: deps.cipher.encrypt(password), hash: hashLinkPassword(password) });
  const now = new Date();
  const updateIds = items.flatMap((item) => (item.id ? [item.id] : []));
  const creates = items.length - updateIds.length;

  return deps.db.transaction(async (manager) => {
    await store.lockWorkspace(manager, workspaceId);
    const current = new Map((await store.findLiveForUpdate(manager, workspaceId, updateIds)).map((l) => [l.id, l]));
    rejectUnknownLinks(items, current);
    if (ctx.linkQuota !== null && creates > 0) {
      const live = await store.countLive(manager, workspaceId);
      if (live + creates > ctx.linkQuota) throw new DomainError('LINK_QUOTA_EXCEEDED', { params: { quota: ctx.linkQuota } });
    }

    const placements = await placeLinks(deps, manager, workspaceId, items);
    const handedOut = new Set<string>();
    // An item's own `id` and `domain` are not link fields: applyChanges and newLink only read link fields.
    const links = items.map((item, i) => {
      const link = item.id
        ? applyChanges(current.get(item.id) as Link, item, now, seal)
        : newLink({ id: randomUUID(), workspaceId, shortId: item.key ?? freshShortId(handedOut) }, item, now, seal);
      const placement = placements[i];
      if (placement !== undefined) {
        link.domainId = placement?.id ?? null;
        link.domain = placement?.name ?? null;
      }
      return link;
    });
    const left: LeftRoute[] = [];
    const chosen = items.map((item, i) => {
      const before = item.id ? current.get(item.id) : undefined;
      const link = links[i];
      const moved = before !== undefined && (before.shortId !== link.shortId || before.domain !== link.domain);
      if (moved) left.push({ id: link.id, shortId: before.shortId, domain: before.domain, version: link.updatedAt.getTime() });
      return moved || (!before && item.key !== undefined);
    });
    const externalIds = [...new Set(links.flatMap((l) => (l.externalId === null ? [] : [l.externalId])))];
    rejectExternalIdConflicts(links, await store.externalIdHolders(manager, workspaceId, externalIds, updateIds));
    const claimed = links.filter((_, i) => chosen[i]).map((l) => ({ domain: l.domain, key: l.shortId }));
    rejectKeyConflicts(links, chosen, await store.routeHolders(manager, claimed, updateIds));

    // Updates first, so an external id released by an update can be taken by a new link of the batch.
    const writingRows = (async () => {
      await store.update(manager, workspaceId, links.filter((_, i) => items[i].id));
      const taken = await store.insert(manager, links.filter((_, i) => !items[i].id));
      if (!taken.size) return;
      // A concurrent writer took a chosen key: refuse it; a random key: draw again.
      const refused = links.map((l) => routeIdOf(l.domain, l.shortId)).filter((id, i) => chosen[i] && taken.has(id));
      if (refused.length) throw new DomainError('KEY_TAKEN', { params: { keys: refused.join(', ') } });
      throw new ShortIdTaken();
    })();
    writingRows.catch(() => undefined); // awaited below; marked handled so an early failure cannot go unhandled meanwhile
    // Building and validating the events is CPU work: it runs while PostgreSQL writes the rows,
    // and their insert queues behind them on the transaction's connection.
    await queriesSent();
    const routes = links.map(toRoute);
    // Departures first: on a route one link leaves and another takes, the compacted topic keeps the arrival.
    const events = [...left.map((l) => linkMoved(workspaceId, l, now)), ...routes.map((route) => linkUpserted(route, now))];
    await Promise.all([writingRows, enqueueEvents(manager, 'links', events, linkEventKey)]);
    return { links, routes, left };
  });
}
