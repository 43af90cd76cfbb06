import { randomUUID } from 'node:crypto';
import { DomainError } from '@hop/errors';
import { enqueueEvents } from '@hop/events';
import type { RequestContext } from '@hop/http';
import { applyChanges, newLink, toRoute, type ApiLink, type Link, type LinkChanges, type Route, type SealPassword } from '../domain/link';
import { hashLinkPassword } from '../domain/password-hash';
import { freshShortId } from '../domain/short-id';
import {
  rejectDuplicateIds,
  rejectExternalIdConflicts,
  rejectMissingFeatures,
  rejectUnknownLinks,
  rejectUnknownReferences,
  violatedExternalId,
} from './batch-checks';
import { present, type LinkDeps } from './deps';
import { linkEventKey, linkUpserted } from './link-events';

/** One item of a POST (never an id) or PUT (an id updates that link, none creates one) body. */
export interface LinkItem extends LinkChanges {
  id?: string;
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

  let saved: { links: Link[]; routes: Route[] };
  for (let attempt = 1; ; attempt++) {
    try {
      saved = await writeLinks(deps, ctx, items);
      break;
    } catch (err) {
      if (err instanceof ShortIdTaken && attempt < SHORT_ID_ATTEMPTS) continue;
      const externalId = violatedExternalId(err);
      if (externalId !== null) throw new DomainError('EXTERNAL_ID_TAKEN', { params: { ids: externalId } });
      throw err;
    }
  }
  // The answer is built while Redis runs the route writes; it is sent only once they are done.
  const writingRoutes = deps.routes.put(saved.routes);
  const answer = saved.links.map((link) => present(deps, link));
  await writingRoutes;
  deps.relay?.wake();
  return answer;
}

async function writeLinks(deps: LinkDeps, ctx: RequestContext, items: LinkItem[]): Promise<{ links: Link[]; routes: Route[] }> {
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

    const handedOut = new Set<string>();
    // An item's own `id` is not a change: applyChanges and newLink only read link fields.
    const links = items.map((item) =>
      item.id
        ? applyChanges(current.get(item.id) as Link, item, now, seal)
        : newLink({ id: randomUUID(), workspaceId, shortId: freshShortId(handedOut) }, item, now, seal),
    );
    const externalIds = [...new Set(links.flatMap((l) => (l.externalId === null ? [] : [l.externalId])))];
    rejectExternalIdConflicts(links, await store.externalIdHolders(manager, workspaceId, externalIds, updateIds));

    // Updates first, so an external id released by an update can be taken by a new link of the batch.
    const writingRows = (async () => {
      await store.update(manager, workspaceId, links.filter((_, i) => items[i].id));
      const taken = await store.insert(manager, links.filter((_, i) => !items[i].id));
      if (taken.size) throw new ShortIdTaken();
    })();
    writingRows.catch(() => undefined); // awaited below; marked handled so an early failure cannot go unhandled meanwhile
    // Building and validating the events is CPU work: it runs while PostgreSQL writes the rows,
    // and their insert queues behind them on the transaction's connection.
    await queriesSent();
    const routes = links.map(toRoute);
    await Promise.all([writingRows, enqueueEvents(manager, 'links', routes.map((route) => linkUpserted(route, now)), linkEventKey)]);
    return { links, routes };
  });
}
