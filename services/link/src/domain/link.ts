import type { Route } from '@hop/events';
import { shortUrlOf, qrCodeUrlOf } from './short-urls';

export const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content', 'referral'] as const;
export type UtmKey = (typeof UTM_KEYS)[number];
export type Utm = Partial<Record<UtmKey, string>>;
export type RedirectType = 301 | 302;
export type StringMap = Record<string, string>;

/** The route contract (libs/events), as the link service writes it to Redis and links.v1. */
export type { Route };

/** A link as the service keeps it. */
export interface Link {
  id: string;
  workspaceId: string;
  /** The key (slug) of the short URL, unique among live links of its domain. */
  shortId: string;
  /** The branded domain, or null for the deployment's default domain (SHORT_BASE_URL). */
  domainId: string | null;
  /** That domain's name (denormalised: names never change and a domain with links cannot be deleted). */
  domain: string | null;
  url: string;
  title: string | null;
  description: string | null;
  image: string | null;
  utm: Utm | null;
  expiresAt: Date | null;
  expiredUrl: string | null;
  /** AES-GCM sealed (see password-cipher.ts). */
  passwordCipher: string | null;
  /** The redirector's check data (see password-hash.ts). */
  passwordHash: string | null;
  cloaked: boolean;
  ios: string | null;
  android: string | null;
  geo: StringMap | null;
  collectionId: string;
  externalId: string | null;
  tenantId: string | null;
  partnerId: string | null;
  redirectType: RedirectType;
  active: boolean;
  hideReferrer: boolean;
  params: StringMap | null;
  socialTitle: string | null;
  socialDescription: string | null;
  socialImage: string | null;
  tagIds: string[];
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/**
 * What a client sends for one link, already validated. An absent key leaves the field as it is;
 * null clears it; `utm` is merged key by key (a null key clears that key).
 */
export interface LinkChanges {
  /** A new key (slug); the domain is placed by the use case, which resolves names to domains. */
  key?: string;
  url?: string;
  collectionId?: string;
  title?: string | null;
  description?: string | null;
  image?: string | null;
  utm?: Partial<Record<UtmKey, string | null>> | null;
  expiresAt?: Date | null;
  expiredUrl?: string | null;
  password?: string | null;
  cloaked?: boolean | null;
  ios?: string | null;
  android?: string | null;
  geo?: StringMap | null;
  externalId?: string | null;
  tenantId?: string | null;
  partnerId?: string | null;
  redirectType?: RedirectType;
  active?: boolean;
  hideReferrer?: boolean;
  params?: StringMap | null;
  socialTitle?: string | null;
  socialDescription?: string | null;
  socialImage?: string | null;
  tagIds?: string[] | null;
}

/** Turns a plain password into what is stored: the sealed value and the redirector's hash. */
export type SealPassword = (password: string) => { cipher: string; hash: string };

/** Fields copied as they are (null clears). */
const PLAIN_FIELDS = [
  'url',
  'collectionId',
  'title',
  'description',
  'image',
  'expiresAt',
  'expiredUrl',
  'ios',
  'android',
  'externalId',
  'tenantId',
  'partnerId',
  'redirectType',
  'active',
  'hideReferrer',
  'socialTitle',
  'socialDescription',
  'socialImage',
] as const satisfies readonly (keyof LinkChanges & keyof Link)[];

const emptyToNull = <T extends object>(value: T | null | undefined): T | null =>
  value && Object.keys(value).length ? value : null;

function mergeUtm(current: Utm | null, changes: LinkChanges['utm']): Utm | null {
  if (changes === null) return null;
  const merged: Utm = { ...(current ?? {}) };
  for (const key of UTM_KEYS) {
    if (!changes || !(key in changes)) continue;
    const value = changes[key];
    if (value == null) delete merged[key];
    else merged[key] = value;
  }
  return emptyToNull(merged);
}

/**
 * The link after applying `changes`. `updatedAt` always moves forward (at least 1 ms), because it
 * is the route's version and a projector never replaces a route with an older one.
 */
export function applyChanges(link: Link, changes: LinkChanges, now: Date, seal: SealPassword): Link {
  const next: Link = { ...link };
  const target = next as unknown as Record<string, unknown>;
  for (const field of PLAIN_FIELDS) {
    if (changes[field] !== undefined) target[field] = changes[field];
  }
  if (changes.utm !== undefined) next.utm = mergeUtm(link.utm, changes.utm);
  if (changes.cloaked !== undefined) next.cloaked = changes.cloaked === true;
  if (changes.geo !== undefined) next.geo = emptyToNull(changes.geo);
  if (changes.params !== undefined) next.params = emptyToNull(changes.params);
  if (changes.key !== undefined) next.shortId = changes.key;
  if (changes.tagIds !== undefined) next.tagIds = [...new Set(changes.tagIds ?? [])];
  if (changes.password !== undefined) {
    const sealed = changes.password === null ? null : seal(changes.password);
    next.passwordCipher = sealed?.cipher ?? null;
    next.passwordHash = sealed?.hash ?? null;
  }
  next.updatedAt = new Date(Math.max(now.getTime(), link.updatedAt.getTime() + 1));
  return next;
}

/** A new link: defaults, then the client's fields (validation guarantees url and collectionId). */
export function newLink(ids: { id: string; workspaceId: string; shortId: string }, changes: LinkChanges, now: Date, seal: SealPassword): Link {
  // Properties spelled out: spreading `ids` first makes V8 build this 31-property object ~100× slower.
  const blank: Link = {
    id: ids.id,
    workspaceId: ids.workspaceId,
    shortId: ids.shortId,
    domainId: null,
    domain: null,
    url: '',
    title: null,
    description: null,
    image: null,
    utm: null,
    expiresAt: null,
    expiredUrl: null,
    passwordCipher: null,
    passwordHash: null,
    cloaked: false,
    ios: null,
    android: null,
    geo: null,
    collectionId: '',
    externalId: null,
    tenantId: null,
    partnerId: null,
    redirectType: 302,
    active: true,
    hideReferrer: false,
    params: null,
    socialTitle: null,
    socialDescription: null,
    socialImage: null,
    tagIds: [],
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  const link = applyChanges(blank, changes, now, seal);
  link.updatedAt = now;
  return link;
}

/** Where short URLs live: the deployment's default base, and the scheme of branded domains. */
export interface ShortUrlBases {
  shortBaseUrl: string;
  domainScheme: 'http' | 'https';
}

/** The base of a link's short URL: its branded domain, else the deployment's default. */
export const linkBaseUrl = (link: Pick<Link, 'domain'>, bases: ShortUrlBases) =>
  link.domain === null ? bases.shortBaseUrl : `${bases.domainScheme}://${link.domain}`;

/** The hostname a link's short URL shows (the default domain's for links without a branded one). */
export const linkHostOf = (link: Pick<Link, 'domain'>, bases: ShortUrlBases) => link.domain ?? new URL(bases.shortBaseUrl).host;

/** The link object of the Links API: every documented field present (null when unset), then Hop's own. */
export function presentLink(link: Link, bases: ShortUrlBases, openPassword: (cipher: string) => string) {
  const base = linkBaseUrl(link, bases);
  return {
    id: link.id,
    url: link.url,
    shortUrl: shortUrlOf(base, link.shortId),
    qrCode: qrCodeUrlOf(base, link.shortId),
    title: link.title,
    description: link.description,
    image: link.image,
    utm: link.utm,
    expiresAt: link.expiresAt?.toISOString() ?? null,
    expiredUrl: link.expiredUrl,
    password: link.passwordCipher === null ? null : openPassword(link.passwordCipher),
    cloaked: link.cloaked,
    ios: link.ios,
    android: link.android,
    geo: link.geo,
    collectionId: link.collectionId,
    externalId: link.externalId,
    tenantId: link.tenantId,
    partnerId: link.partnerId,
    createdAt: link.createdAt.toISOString(),
    updatedAt: link.updatedAt.toISOString(),
    redirectType: link.redirectType,
    active: link.active,
    hideReferrer: link.hideReferrer,
    params: link.params,
    socialTitle: link.socialTitle,
    socialDescription: link.socialDescription,
    socialImage: link.socialImage,
    tagIds: link.tagIds,
    /** Hop's: the short URL's host and key (slug). */
    domain: linkHostOf(link, bases),
    key: link.shortId,
  };
}

export type ApiLink = ReturnType<typeof presentLink>;

/** Everything the redirector needs for a short link (the Route contract of @hop/events). */
export function toRoute(link: Link): Route {
  return {
    linkId: link.id,
    shortId: link.shortId,
    /** Null on the default domain. */
    domain: link.domain,
    workspaceId: link.workspaceId,
    collectionId: link.collectionId,
    url: link.url,
    utm: link.utm,
    params: link.params,
    redirectType: link.redirectType,
    active: link.active,
    expiresAt: link.expiresAt?.toISOString() ?? null,
    expiredUrl: link.expiredUrl,
    passwordHash: link.passwordHash,
    cloaked: link.cloaked,
    hideReferrer: link.hideReferrer,
    ios: link.ios,
    android: link.android,
    geo: link.geo,
    partnerId: link.partnerId,
    tenantId: link.tenantId,
    externalId: link.externalId,
    title: link.title,
    description: link.description,
    image: link.image,
    socialTitle: link.socialTitle,
    socialDescription: link.socialDescription,
    socialImage: link.socialImage,
    version: link.updatedAt.getTime(),
  };
}

