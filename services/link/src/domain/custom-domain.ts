import type { DomainRecord } from '@hop/events';
export type DomainStatus = 'pending' | 'verified' | 'failed';

/** A branded domain of a workspace. */
export interface CustomDomain {
  id: string;
  workspaceId: string;
  /** Lower-case ASCII hostname (see domain-name.ts). */
  name: string;
  status: DomainStatus;
  verificationToken: string;
  verifiedAt: Date | null;
  lastCheckedAt: Date | null;
  primary: boolean;
  rootRedirectUrl: string | null;
  notFoundUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Verified by an operator (--without-dns): never re-checked in DNS. */
  verifiedWithoutDns: boolean;
  /** Consecutive periodic re-checks of a verified domain that found no proof (DNS failures not counted). */
  failedChecks: number;
  /** When a verified domain lost its verification (its periodic checks' window starts then, else at createdAt). */
  unverifiedSince: Date | null;
}

/** What a client may change on a domain (its name never changes: links and certificates hang on it). */
export interface DomainChanges {
  primary?: boolean;
  rootRedirectUrl?: string | null;
  notFoundUrl?: string | null;
}

/** Where the ownership proof lives: a TXT record `_hop.<domain>` whose value is the token. */
export const txtRecordName = (name: string) => `_hop.${name}`;

/** True when one of the TXT records (each a list of character strings) is the token. */
export const txtProvesOwnership = (records: string[][], token: string) => records.some((chunks) => chunks.join('') === token);

/**
 * Domains a workspace may own, by plan (x-hop-plan). free: none; pro: 3; business: 20;
 * enterprise: unlimited (null). An unknown plan gets none.
 */
const DOMAIN_QUOTAS: Record<string, number | null> = { free: 0, pro: 3, business: 20, enterprise: null };
export const domainQuotaOf = (plan: string): number | null => (Object.hasOwn(DOMAIN_QUOTAS, plan) ? DOMAIN_QUOTAS[plan] : 0);

/** A domain just added: pending, not primary, no redirects. */
export const newDomain = (ids: { id: string; workspaceId: string; name: string; verificationToken: string }, now: Date): CustomDomain => ({
  ...ids,
  status: 'pending',
  verifiedAt: null,
  lastCheckedAt: null,
  primary: false,
  rootRedirectUrl: null,
  notFoundUrl: null,
  createdAt: now,
  updatedAt: now,
  verifiedWithoutDns: false,
  failedChecks: 0,
  unverifiedSince: null,
});

/** The version of a domain changed at `now`: always after the previous one (the redirector keeps the newest). */
const nextVersion = (domain: CustomDomain, now: Date) => new Date(Math.max(now.getTime(), domain.updatedAt.getTime() + 1));

/** A domain whose ownership was just proven (by DNS, or by an operator). */
export const verifiedDomain = (domain: CustomDomain, now: Date, withoutDns: boolean): CustomDomain => ({
  ...domain,
  status: 'verified',
  verifiedAt: now,
  lastCheckedAt: now,
  updatedAt: nextVersion(domain, now),
  verifiedWithoutDns: withoutDns,
  failedChecks: 0,
  unverifiedSince: null,
});

/**
 * A periodic re-check of a verified domain: a proof resets the count of failures; the
 * `failuresAllowed`-th consecutive check without one makes it `failed` (no longer served, free for
 * another workspace to verify; its links keep their domain and come back if it verifies again).
 */
export function afterRecheck(domain: CustomDomain, proved: boolean, failuresAllowed: number, now: Date): CustomDomain {
  if (proved) return { ...domain, lastCheckedAt: now, failedChecks: 0 };
  const failedChecks = domain.failedChecks + 1;
  if (failedChecks < failuresAllowed) return { ...domain, lastCheckedAt: now, failedChecks };
  return { ...domain, status: 'failed', lastCheckedAt: now, failedChecks: 0, unverifiedSince: now, updatedAt: nextVersion(domain, now) };
}

export function applyDomainChanges(domain: CustomDomain, changes: DomainChanges, now: Date): CustomDomain {
  const next = { ...domain };
  if (changes.primary !== undefined) next.primary = changes.primary;
  if (changes.rootRedirectUrl !== undefined) next.rootRedirectUrl = changes.rootRedirectUrl;
  if (changes.notFoundUrl !== undefined) next.notFoundUrl = changes.notFoundUrl;
  next.updatedAt = nextVersion(domain, now);
  return next;
}

/** The domain object of the Domains API. */
export const presentDomain = (d: CustomDomain) => ({
  id: d.id,
  name: d.name,
  status: d.status,
  verificationToken: d.verificationToken,
  verificationRecord: { type: 'TXT', name: txtRecordName(d.name), value: d.verificationToken },
  verifiedAt: d.verifiedAt?.toISOString() ?? null,
  lastCheckedAt: d.lastCheckedAt?.toISOString() ?? null,
  primary: d.primary,
  rootRedirectUrl: d.rootRedirectUrl,
  notFoundUrl: d.notFoundUrl,
  createdAt: d.createdAt.toISOString(),
});

export type ApiDomain = ReturnType<typeof presentDomain>;

export type { DomainRecord };

/** What the redirector knows of a verified domain (the DomainRecord contract of @hop/events). */
export const toDomainRecord = (d: CustomDomain): DomainRecord => ({
  name: d.name,
  workspaceId: d.workspaceId,
  rootRedirectUrl: d.rootRedirectUrl,
  notFoundUrl: d.notFoundUrl,
  version: d.updatedAt.getTime(),
});

