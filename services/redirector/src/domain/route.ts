/** A short link as the redirector serves it (schema `routeSchema` in @hop/events). */
export interface Route {
  linkId: string;
  /** The key on its domain. */
  shortId: string;
  /** The branded domain; null or absent: the default domain. */
  domain?: string | null;
  workspaceId: string;
  url: string;
  utm?: Utm | null;
  params?: Record<string, string> | null;
  redirectType: 301 | 302;
  active: boolean;
  expiresAt?: string | null;
  expiredUrl?: string | null;
  passwordHash?: string | null;
  cloaked: boolean;
  hideReferrer: boolean;
  ios?: string | null;
  android?: string | null;
  geo?: Record<string, string> | null;
  partnerId?: string | null;
  tenantId?: string | null;
  externalId?: string | null;
  title?: string | null;
  description?: string | null;
  image?: string | null;
  socialTitle?: string | null;
  socialDescription?: string | null;
  socialImage?: string | null;
  /** updatedAt in ms: a newer route never gets replaced by an older one. */
  version: number;
}

export interface Utm {
  source?: string | null;
  medium?: string | null;
  campaign?: string | null;
  term?: string | null;
  content?: string | null;
  referral?: string | null;
}

/** A route's id: the key on the default domain (null), `<domain>/<key>` on a branded one (as the link service names it). */
export const routeIdOf = (domain: string | null, key: string) => (domain === null ? key : `${domain}/${key}`);

/** A verified branded domain the redirector serves (`domainRecordSchema` in @hop/events). */
export interface DomainRecord {
  name: string;
  workspaceId: string;
  rootRedirectUrl: string | null;
  notFoundUrl: string | null;
  version: number;
}
