import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError, itemDetail, type ErrorDetail } from '@hop/errors';
import { enqueueEvents } from '@hop/events';
import type { RequestContext } from '@hop/http';
import { applyDomainChanges, domainQuotaOf, newDomain, presentDomain, toDomainRecord, type ApiDomain, type CustomDomain, type DomainChanges } from '../domain/custom-domain';
import type { LinkDeps, Queryable } from './ports';
import { domainEventKey, domainUpserted } from './link-events';

/** One item of a POST (name, no id) or PUT (id: update; no id: create) body; names are already normalised. */
export interface DomainItem extends DomainChanges {
  id?: string;
  name?: string;
}

/** The value a client puts in the `_hop.<domain>` TXT record. */
export const newVerificationToken = () => `hop-verify=${randomBytes(16).toString('hex')}`;

/**
 * Creates and updates the workspace's domains, all or nothing. New domains start `pending`
 * with a fresh token. At most one domain is primary: setting it on one clears the others.
 * Changes to verified domains reach the redirectors (Redis record + domains.v1 event).
 */
export async function saveDomains(deps: LinkDeps, ctx: RequestContext, items: DomainItem[]): Promise<ApiDomain[]> {
  rejectRepeats(items);
  const workspaceId = ctx.workspaceId;
  const now = new Date();
  const saved = await deps.db.transaction(async (manager) => {
    await deps.store.lockWorkspace(manager, workspaceId);
    const updateIds = items.flatMap((item) => (item.id ? [item.id] : []));
    const current = new Map((await deps.domains.findForUpdate(manager, workspaceId, updateIds)).map((d) => [d.id, d]));
    const unknown = items.flatMap((item, index) => (item.id && !current.has(item.id) ? [itemDetail(index, 'id', `Domain ${item.id} not found in your workspace`)] : []));
    if (unknown.length) throw new DomainError('RESOURCE_NOT_FOUND', { params: { resource: 'Domain', ids: updateIds.filter((id) => !current.has(id)).join(', ') }, details: unknown });
    const renamed = items.flatMap((item, index) =>
      item.id && item.name !== undefined && item.name !== current.get(item.id)?.name ? [itemDetail(index, 'name', 'cannot change: add a new domain instead')] : [],
    );
    if (renamed.length) throw new DomainError('INVALID_REQUEST', { details: renamed });
    const creating = items.filter((item) => !item.id);
    if (creating.length) await checkNewNames(deps, manager, ctx, creating.map((item) => item.name as string), items);

    const domains = items.map((item): CustomDomain => {
      const existing = item.id ? current.get(item.id) : undefined;
      const base = existing ?? newDomain({ id: randomUUID(), workspaceId, name: item.name as string, verificationToken: newVerificationToken() }, now);
      return applyDomainChanges(base, item, now);
    });
    const primary = domains.find((_, i) => items[i].primary === true);
    if (primary) await deps.domains.clearPrimary(manager, workspaceId, primary.id, now);
    await deps.domains.save(manager, domains);
    const served = domains.filter((d) => d.status === 'verified').map(toDomainRecord);
    await enqueueEvents(manager, 'domains', served.map((record) => domainUpserted(record, now)), domainEventKey);
    return { domains, served };
  });
  await deps.domainCache.put(saved.served);
  deps.relay?.wake();
  return saved.domains.map(presentDomain);
}

/** A name or id may appear once per batch, and one item at most may make its domain primary. */
function rejectRepeats(items: DomainItem[]): void {
  const seen = new Map<string, number>();
  const details: ErrorDetail[] = [];
  items.forEach((item, index) => {
    for (const [field, value] of [['id', item.id], ['name', item.name]] as const) {
      if (value === undefined) continue;
      const first = seen.get(`${field}:${value}`);
      if (first === undefined) seen.set(`${field}:${value}`, index);
      else details.push(itemDetail(index, field, `duplicates item [${first}] of this request`));
    }
  });
  const primaries = items.map((item, index) => (item.primary === true ? index : -1)).filter((i) => i >= 0);
  for (const index of primaries.slice(1)) details.push(itemDetail(index, 'primary', `only one domain can be primary; item [${primaries[0]}] already is`));
  if (details.length) throw new DomainError('INVALID_REQUEST', { details });
}

/** New names: within the plan's quota, not yet in the workspace, not verified by another workspace. */
async function checkNewNames(deps: LinkDeps, q: Queryable, ctx: RequestContext, names: string[], items: DomainItem[]): Promise<void> {
  const quota = domainQuotaOf(ctx.plan);
  if (quota !== null && (await deps.domains.count(q, ctx.workspaceId)) + names.length > quota) {
    throw new DomainError('DOMAIN_QUOTA_EXCEEDED', { params: { quota } });
  }
  const indexOf = (name: string) => items.findIndex((item) => !item.id && item.name === name);
  for (const name of names) {
    if (await deps.domains.findByName(q, ctx.workspaceId, name)) {
      throw new DomainError('DUPLICATE_NAME', { params: { resource: 'domain', name }, details: [itemDetail(indexOf(name), 'name', 'already added to your workspace')] });
    }
  }
  const taken = [...(await deps.domains.verifiedElsewhere(q, ctx.workspaceId, names))];
  if (taken.length) {
    throw new DomainError('DOMAIN_TAKEN', {
      params: { names: taken.join(', ') },
      details: taken.map((name) => itemDetail(indexOf(name), 'name', 'is verified by another workspace')),
    });
  }
}
