import { DomainError, itemDetail, type ErrorDetail } from '@hop/errors';
import { asciiHost, isDefaultHost } from '../domain/domain-name';
import type { LinkDeps, Queryable } from './ports';

/** Where an item's link goes: a branded domain, the default domain (null), or where it is (undefined). */
export type Placement = { id: string; name: string } | null | undefined;

/**
 * The domain of each item: the one it names (a verified domain of the workspace, or the default
 * domain by its host), else — for a new link — the workspace's primary domain if verified, else
 * the default domain; an update that names no domain stays where it is.
 */
export async function placeLinks(deps: LinkDeps, q: Queryable, workspaceId: string, items: { id?: string; domain?: string | null }[]): Promise<Placement[]> {
  const wanted = items.map((item) => {
    if (item.domain === undefined || item.domain === null) return item.domain;
    const host = asciiHost(item.domain);
    return isDefaultHost(host, deps.bases.shortBaseUrl) ? null : host;
  });
  const names = [...new Set(wanted.filter((w): w is string => typeof w === 'string'))];
  const needsPrimary = items.some((item, i) => !item.id && wanted[i] === undefined);
  if (!names.length && !needsPrimary) return wanted.map((w) => (w === null ? null : undefined));
  const { byName, primary } = await deps.domains.usable(q, workspaceId, names);
  const details: ErrorDetail[] = [];
  const placements = items.map((item, index): Placement => {
    const name = wanted[index];
    if (name === undefined) return item.id ? undefined : primary && { id: primary.id, name: primary.name };
    if (name === null) return null;
    const domain = byName.get(name);
    if (!domain) details.push(itemDetail(index, 'domain', `${name || item.domain} is not a verified domain of your workspace`));
    return domain && { id: domain.id, name: domain.name };
  });
  if (details.length) {
    throw new DomainError('DOMAIN_NOT_USABLE', { params: { names: [...new Set(details.map((d) => String(items[d.index as number].domain)))].join(', ') }, details });
  }
  return placements;
}

/** The `domain` filter of a link listing for a host as a client gives it: null for the default domain. */
export function domainFilterOf(deps: LinkDeps, host: string): string | null {
  const ascii = asciiHost(host);
  return isDefaultHost(ascii, deps.bases.shortBaseUrl) ? null : ascii;
}
