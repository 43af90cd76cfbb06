import { randomUUID } from 'node:crypto';
import { DomainError, itemDetail } from '@hop/errors';
import { enqueueEvents } from '@hop/events';
import { newDomain, presentDomain, toDomainRecord, txtProvesOwnership, txtRecordName, verifiedDomain, type ApiDomain, type CustomDomain, type DomainRecord } from '../domain/custom-domain';
import { normalizeDomainName } from '../domain/domain-name';
import type { EntityManager } from '@hop/db';
import type { LinkDeps } from './ports';
import { domainEventKey, domainUpserted } from './link-events';
import { newVerificationToken } from './save-domains';

/** What checking a domain in DNS works with. */
export type DomainCheckDeps = Pick<LinkDeps, 'db' | 'domains' | 'store' | 'txt' | 'domainCache' | 'relay'>;

/** What a check changed: the domain, its record when it became served, and whether another workspace holds the name. */
export interface CheckResult {
  domain: CustomDomain;
  served: DomainRecord | null;
  taken: boolean;
}

/** A domain made verified, unless another workspace verified the name first. */
async function markVerified(deps: DomainCheckDeps, q: EntityManager, domain: CustomDomain, now: Date, withoutDns = false): Promise<CheckResult> {
  if ((await deps.domains.verifiedElsewhere(q, domain.workspaceId, [domain.name])).size) {
    const failed = { ...domain, status: 'failed' as const, lastCheckedAt: now, updatedAt: now };
    await deps.domains.save(q, [failed]);
    return { domain: failed, served: null, taken: true };
  }
  const verified = verifiedDomain(domain, now, withoutDns);
  await deps.domains.save(q, [verified]);
  const record = toDomainRecord(verified);
  await enqueueEvents(q, 'domains', [domainUpserted(record, now)], domainEventKey);
  return { domain: verified, served: record, taken: false };
}

/** After commit: the redirectors learn of a newly served domain; a lost claim is refused. */
export async function finish(deps: DomainCheckDeps, result: CheckResult): Promise<ApiDomain> {
  if (result.served) {
    await deps.domainCache.put([result.served]);
    deps.relay?.wake();
  }
  if (result.taken) throw new DomainError('DOMAIN_TAKEN', { params: { names: result.domain.name } });
  return presentDomain(result.domain);
}

/**
 * Looks up `_hop.<name>` TXT and records the outcome: verified when a record holds the token,
 * failed when none does; a DNS failure changes only lastCheckedAt. A verified domain is left as
 * it is (its periodic re-checks are check-domains.ts's).
 */
export async function checkDomain(deps: DomainCheckDeps, workspaceId: string, id: string): Promise<CheckResult | null> {
  const [before] = await deps.domains.findForUpdate(deps.db, workspaceId, [id]);
  if (!before) return null;
  const records = before.status === 'verified' ? [] : await deps.txt.records(txtRecordName(before.name));
  const now = new Date();
  return deps.db.transaction(async (manager) => {
    await deps.store.lockWorkspace(manager, workspaceId);
    const [domain] = await deps.domains.findForUpdate(manager, workspaceId, [id]);
    if (!domain) return null;
    if (domain.status !== 'verified' && records !== null && txtProvesOwnership(records, domain.verificationToken)) {
      return markVerified(deps, manager, domain, now);
    }
    const failedNow = domain.status !== 'verified' && records !== null;
    const checked: CustomDomain = { ...domain, lastCheckedAt: now, ...(failedNow && { status: 'failed' as const }) };
    await deps.domains.save(manager, [checked]);
    return { domain: checked, served: null, taken: false };
  });
}

/** POST /api/domains/{id}/verify: checks DNS now. */
export async function verifyDomain(deps: LinkDeps, workspaceId: string, id: string): Promise<ApiDomain> {
  const result = await checkDomain(deps, workspaceId, id);
  if (!result) throw new DomainError('NOT_FOUND');
  return finish(deps, result);
}

/**
 * For air-gapped installs: an operator marks a workspace's domain verified without DNS, adding it
 * first if the workspace does not have it (no plan quota: the operator decides). Still refused
 * when another workspace has verified the name.
 */
export async function verifyWithoutDns(deps: LinkDeps, workspaceId: string, rawName: string): Promise<ApiDomain> {
  const checked = normalizeDomainName(rawName, deps.ownHosts);
  if ('problem' in checked) throw new DomainError('INVALID_REQUEST', { details: [itemDetail(0, 'name', `${rawName} ${checked.problem}`)] });
  const now = new Date();
  const result = await deps.db.transaction(async (manager) => {
    await deps.store.lockWorkspace(manager, workspaceId);
    const existing = await deps.domains.findByName(manager, workspaceId, checked.name);
    const domain = existing ?? newDomain({ id: randomUUID(), workspaceId, name: checked.name, verificationToken: newVerificationToken() }, now);
    if (domain.status === 'verified') {
      // Verified through DNS before: the operator's word now exempts it from re-checks.
      if (!domain.verifiedWithoutDns) await deps.domains.save(manager, [{ ...domain, verifiedWithoutDns: true, failedChecks: 0 }]);
      return { domain, served: null, taken: false };
    }
    return markVerified(deps, manager, domain, now, true);
  });
  return finish(deps, result);
}
