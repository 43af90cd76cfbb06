import { DomainError, itemDetail, type ErrorDetail } from '@hop/errors';
import type { RequestContext } from '@hop/http';
import type { Link, LinkChanges } from '../domain/link';
import { routeIdOf } from '../domain/link-key';
import { planGateViolations } from '../domain/plan-gates';
import type { ReferenceKind, ReferenceLookup } from './ports';

/** Ids named in an error message; the details list every one. */
const listIds = (ids: Iterable<string>, max = 5) => {
  const all = [...new Set(ids)];
  return all.length > max ? `${all.slice(0, max).join(', ')} … (${all.length - max} more)` : all.join(', ');
};

/** Setting a gated field needs its plan feature; the error names the features and each item/field. */
export function rejectMissingFeatures(items: LinkChanges[], features: readonly string[]): void {
  const violations = planGateViolations(items, features);
  if (!violations.length) return;
  throw new DomainError('FEATURE_NOT_IN_PLAN', {
    params: { feature: [...new Set(violations.map((v) => v.feature))].join(', ') },
    details: violations.map((v) => itemDetail(v.index, v.field, `needs the ${v.feature} feature, which your plan does not include`)),
  });
}

/** An id may appear once per batch: two changes to one link in one request are ambiguous. */
export function rejectDuplicateIds(items: { id?: string }[]): void {
  const firstIndex = new Map<string, number>();
  const details: ErrorDetail[] = [];
  items.forEach((item, index) => {
    if (!item.id) return;
    const first = firstIndex.get(item.id);
    if (first === undefined) firstIndex.set(item.id, index);
    else details.push(itemDetail(index, 'id', `duplicates item [${first}] of this request`));
  });
  if (details.length) throw new DomainError('INVALID_REQUEST', { details });
}

const RESOURCE_NAMES: Record<ReferenceKind, string> = { collection: 'Collection', tag: 'Tag', partner: 'Partner' };

/**
 * collectionId, partnerId and tagIds that an item sets must exist (not deleted) in the workspace;
 * checked with one lookup per kind for the whole batch.
 */
export async function rejectUnknownReferences(lookup: ReferenceLookup, ctx: RequestContext, items: LinkChanges[]): Promise<void> {
  // kind, field (named like validation details name them), id — per item
  type Reference = [ReferenceKind, string, string];
  const references = items.map((item) => {
    const refs: Reference[] = [];
    if (item.collectionId) refs.push(['collection', 'collectionId', item.collectionId]);
    if (item.partnerId) refs.push(['partner', 'partnerId', item.partnerId]);
    item.tagIds?.forEach((id, k) => refs.push(['tag', `tagIds.${k}`, id]));
    return refs;
  });
  const wanted: Record<ReferenceKind, Set<string>> = { collection: new Set(), tag: new Set(), partner: new Set() };
  for (const refs of references) for (const [kind, , id] of refs) wanted[kind].add(id);
  if (!wanted.collection.size && !wanted.tag.size && !wanted.partner.size) return;

  const missing = await lookup.missing(ctx, wanted);
  const details: ErrorDetail[] = [];
  const kinds = new Set<ReferenceKind>();
  references.forEach((refs, index) => {
    for (const [kind, field, id] of refs) {
      if (!missing[kind].has(id)) continue;
      kinds.add(kind);
      details.push(itemDetail(index, field, `${RESOURCE_NAMES[kind]} ${id} not found in your workspace`));
    }
  });
  if (!details.length) return;
  throw new DomainError('RESOURCE_NOT_FOUND', {
    params: {
      resource: [...kinds].map((k) => RESOURCE_NAMES[k]).join(', '),
      ids: listIds([...kinds].flatMap((k) => [...missing[k]])),
    },
    details,
  });
}

/** Ids of updates that are not live links of the workspace fail the whole request. */
export function rejectUnknownLinks(items: { id?: string }[], found: Map<string, Link>): void {
  const details: ErrorDetail[] = [];
  items.forEach((item, index) => {
    if (item.id && !found.has(item.id)) details.push(itemDetail(index, 'id', `Link ${item.id} not found in your workspace`));
  });
  if (!details.length) return;
  const ids = items.filter((i) => i.id && !found.has(i.id)).map((i) => i.id as string);
  throw new DomainError('RESOURCE_NOT_FOUND', { params: { resource: 'Link', ids: listIds(ids) }, details });
}

/**
 * externalId is unique among the workspace's live links: within the batch (final states) and
 * against `heldElsewhere`, the external ids live links outside the batch already hold.
 */
export function rejectExternalIdConflicts(links: Link[], heldElsewhere: Set<string>): void {
  const firstIndex = new Map<string, number>();
  const details: ErrorDetail[] = [];
  links.forEach((link, index) => {
    const externalId = link.externalId;
    if (externalId === null) return;
    const first = firstIndex.get(externalId);
    if (heldElsewhere.has(externalId)) details.push(itemDetail(index, 'externalId', `"${externalId}" is already used by another link in your workspace`));
    else if (first !== undefined) details.push(itemDetail(index, 'externalId', `"${externalId}" is also used by item [${first}] of this request`));
    else firstIndex.set(externalId, index);
  });
  if (!details.length) return;
  const taken = details.map((d) => links[d.index as number].externalId as string);
  throw new DomainError('EXTERNAL_ID_TAKEN', { params: { ids: listIds(taken) }, details });
}

/**
 * A route (domain + key) is held by one live link: within the batch (final states) and against
 * `heldElsewhere`, the route ids live links outside the batch already hold. `chosen[i]`: item i
 * asked for its key or domain (a random key of a new link is retried instead, never refused).
 */
export function rejectKeyConflicts(links: Link[], chosen: boolean[], heldElsewhere: Set<string>): void {
  const firstIndex = new Map<string, number>();
  const details: ErrorDetail[] = [];
  links.forEach((link, index) => {
    const routeId = routeIdOf(link.domain, link.shortId);
    const first = firstIndex.get(routeId);
    const where = link.domain ?? 'the default domain';
    if (chosen[index] && heldElsewhere.has(routeId)) details.push(itemDetail(index, 'key', `"${link.shortId}" is already used on ${where}`));
    else if (first !== undefined) details.push(itemDetail(index, 'key', `"${link.shortId}" on ${where} is also used by item [${first}] of this request`));
    else firstIndex.set(routeId, index);
  });
  if (!details.length) return;
  throw new DomainError('KEY_TAKEN', { params: { keys: listIds(details.map((d) => routeIdOf(links[d.index as number].domain, links[d.index as number].shortId))) }, details });
}
