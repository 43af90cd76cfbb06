import { DomainError } from '@hop/errors';
import { enqueueEvents } from '@hop/events';
import { afterRecheck, txtProvesOwnership, txtRecordName } from '../domain/custom-domain';
import { domainDeleted, domainEventKey } from './link-events';
import { checkDomain, finish, type DomainCheckDeps } from './verify-domains';

/** When domains are checked in DNS without anyone asking (config: DOMAIN_* settings). */
export interface DomainCheckSchedule {
  /** Unverified domains are checked again after this long. */
  unverifiedIntervalMs: number;
  /** For how long (from being added, or from losing their verification) unverified domains are checked. */
  verifyWindowMs: number;
  /** Verified domains are checked again after this long; 0: never. */
  recheckIntervalMs: number;
  /** Consecutive re-checks without proof after which a verified domain becomes `failed`. */
  recheckFailures: number;
}

/**
 * One round of the periodic checks, run by every link instance: claims up to `limit` due domains
 * of each kind (claimed rows are skipped by the other instances' rounds, so each domain is
 * checked by one instance) and checks them.
 * - unverified ones as `POST /verify` does (verified when the TXT record holds the token, else
 *   `failed`), while their window is open; a `pending` one (never answered by DNS) found past its
 *   window becomes `failed`; after the window only `POST /verify` checks them.
 * - verified ones (not those an operator verified without DNS): see {@link afterRecheck}; a DNS
 *   failure counts for nothing. A domain that fails stops being served at once (the redirectors
 *   forget it, Caddy's `ask` answers 404); its links are kept and served again if it is verified again.
 * Returns how many domains were checked.
 */
export async function checkDueDomains(
  deps: DomainCheckDeps,
  schedule: DomainCheckSchedule,
  limit: number,
): Promise<number> {
  const now = new Date();
  const due = await deps.domains.claimDue(
    deps.db,
    {
      unverified: { before: new Date(now.getTime() - schedule.unverifiedIntervalMs), windowStart: new Date(now.getTime() - schedule.verifyWindowMs) },
      verifiedBefore: schedule.recheckIntervalMs > 0 ? new Date(now.getTime() - schedule.recheckIntervalMs) : null,
    },
    now,
    limit,
  );
  for (const { workspaceId, id, status } of due) {
    if (status === 'verified') await recheckVerified(deps, workspaceId, id, schedule.recheckFailures);
    else await checkUnverified(deps, workspaceId, id, new Date(now.getTime() - schedule.verifyWindowMs));
  }
  return due.length;
}

async function checkUnverified(deps: DomainCheckDeps, workspaceId: string, id: string, windowStart: Date) {
  // A name lost to another workspace in a race is just not verified (checkDomain recorded it as failed).
  const result = await checkDomain(deps, workspaceId, id).catch((err: unknown) => {
    if (err instanceof DomainError) return null;
    throw err;
  });
  if (result?.served) await finish(deps, result);
  const domain = result?.domain;
  if (domain?.status === 'pending' && (domain.unverifiedSince ?? domain.createdAt) < windowStart) {
    await deps.db.transaction(async (manager) => {
      await deps.store.lockWorkspace(manager, workspaceId);
      const [current] = await deps.domains.findForUpdate(manager, workspaceId, [id]);
      if (current?.status === 'pending') await deps.domains.save(manager, [{ ...current, status: 'failed' }]);
    });
  }
}

async function recheckVerified(deps: DomainCheckDeps, workspaceId: string, id: string, failuresAllowed: number) {
  const [before] = await deps.domains.findForUpdate(deps.db, workspaceId, [id]);
  if (!before || before.status !== 'verified' || before.verifiedWithoutDns) return;
  const records = await deps.txt.records(txtRecordName(before.name));
  if (records === null) return;
  const now = new Date();
  const lost = await deps.db.transaction(async (manager) => {
    await deps.store.lockWorkspace(manager, workspaceId);
    const [domain] = await deps.domains.findForUpdate(manager, workspaceId, [id]);
    // Changed meanwhile (deleted, or an operator vouched for it): this check no longer applies.
    if (!domain || domain.status !== 'verified' || domain.verifiedWithoutDns) return null;
    const checked = afterRecheck(domain, txtProvesOwnership(records, domain.verificationToken), failuresAllowed, now);
    await deps.domains.save(manager, [checked]);
    if (checked.status === 'verified') return null;
    await enqueueEvents(manager, 'domains', [domainDeleted(workspaceId, checked.name, checked.updatedAt.getTime(), now)], domainEventKey);
    return checked.name;
  });
  if (lost) {
    await deps.domainCache.remove([lost]);
    deps.relay?.wake();
  }
}
