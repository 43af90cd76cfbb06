import { presentDomain, toDomainRecord, type ApiDomain, type DomainRecord } from '../domain/custom-domain';
import type { DomainFilter, LinkDeps, PageRequest } from './ports';

/** A page of the workspace's domains and the total matching. */
export async function listDomains(deps: LinkDeps, workspaceId: string, filter: DomainFilter, page: PageRequest): Promise<{ domains: ApiDomain[]; total: number }> {
  const { domains, total } = await deps.domains.list(deps.db, workspaceId, filter, page);
  return { domains: domains.map(presentDomain), total };
}

/** The verified domain of that name, as the redirector serves it; null when none is. */
export async function findServedDomain(deps: LinkDeps, name: string): Promise<DomainRecord | null> {
  const domain = await deps.domains.findVerified(deps.db, name);
  return domain && toDomainRecord(domain);
}
