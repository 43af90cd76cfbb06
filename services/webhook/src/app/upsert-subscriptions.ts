import { randomUUID } from 'node:crypto';
import { invalid, itemDetail, notFoundInWorkspace, type ErrorDetail } from '@hop/errors';
import type { Subscription, SubscriptionChanges } from '../domain/subscription';
import type { CheckDestination, NewSecret, WebhookAccess } from './ports';

export interface UpsertDeps {
  access: WebhookAccess;
  checkDestination: CheckDestination;
  newSecret: NewSecret;
}

/** A written subscription; `secret` only on the ones this request created (shown once). */
export type Written = { subscription: Subscription; created: boolean };

/**
 * Creates (items without id) and updates (items with id: only the given fields change) in one
 * transaction; a refused URL or an unknown id fails the whole batch. Turning a subscription back
 * on clears why Hop turned it off and makes what it has pending due now.
 */
export async function upsertSubscriptions(deps: UpsertDeps, workspaceId: string, items: SubscriptionChanges[]): Promise<Written[]> {
  const refusals = await Promise.all(items.map((item) => (item.url === undefined ? Promise.resolve(null) : deps.checkDestination(item.url))));
  const refused: ErrorDetail[] = refusals.flatMap((reason, index) => (reason ? [itemDetail(index, 'url', reason)] : []));
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (!item.id) return;
    if (seen.has(item.id)) refused.push(itemDetail(index, 'id', 'appears more than once in the request'));
    seen.add(item.id);
  });
  if (refused.length) throw invalid(refused);

  return deps.access.write(workspaceId, async (store) => {
    const current = new Map((await store.lockByIds([...seen])).map((s) => [s.id, s]));
    const missing = items.flatMap((item, index) => (item.id && !current.has(item.id) ? [{ index, id: item.id }] : []));
    if (missing.length) throw notFoundInWorkspace('Webhook', missing, 'id');
    const now = new Date();
    const written = items.map((item): Written => {
      const existing = item.id ? current.get(item.id) : undefined;
      if (!existing) return { subscription: newSubscription(workspaceId, item, deps.newSecret(), now), created: true };
      const reactivated = item.active === true && !existing.active;
      return {
        subscription: {
          ...existing,
          ...definedOf(item),
          disabledReason: reactivated || item.active === false ? null : existing.disabledReason,
          updatedAt: now,
        },
        created: false,
      };
    });
    await store.insert(written.filter((w) => w.created).map((w) => w.subscription));
    await store.update(written.filter((w) => !w.created).map((w) => w.subscription));
    const switched = (to: boolean) => items.filter((item) => item.id && item.active === to && current.get(item.id)!.active !== to).map((item) => item.id!);
    await store.setPendingDue(switched(true), true);
    await store.setPendingDue(switched(false), false);
    return written;
  });
}

function definedOf(item: SubscriptionChanges): Partial<Subscription> {
  const { id: _id, ...fields } = item;
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

function newSubscription(workspaceId: string, item: SubscriptionChanges, secret: string, now: Date): Subscription {
  return {
    id: randomUUID(),
    workspaceId,
    name: item.name ?? '',
    url: item.url ?? '',
    events: item.events ?? [],
    collectionIds: item.collectionIds ?? [],
    linkIds: item.linkIds ?? [],
    active: item.active ?? true,
    disabledReason: null,
    secret,
    previousSecret: null,
    previousSecretExpiresAt: null,
    createdAt: now,
    updatedAt: now,
  };
}
