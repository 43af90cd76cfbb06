import type { DataSource } from '@hop/db';
import type { DomainRecord, Route } from '@hop/events';
import type { RequestContext } from '@hop/http';
import type { CustomDomain, DomainStatus } from '../domain/custom-domain';
import type { Link, ShortUrlBases } from '../domain/link';
import type { PasswordCipher } from '../domain/password-cipher';

/** An EntityManager (inside a transaction) or the DataSource: both run raw SQL. */
export interface Queryable {
  /** The statement's rows, typed by the caller (the driver does not check them). */
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

export type UrlMatch = 'exact' | 'startswith';

/**
 * Filters of a link listing. The first four (Hoko's) match ANY of their values (OR, also across
 * the four); the others must all hold (AND); a repeated value of one of them matches any.
 */
export interface LinkFilter {
  ids?: string[];
  externalIds?: string[];
  tenantIds?: string[];
  partnerIds?: string[];
  url?: { value: string; match: UrlMatch };
  collectionIds?: string[];
  tagIds?: string[];
  /** A branded domain's name, or null for the default domain's links. */
  domain?: string | null;
}

/** Where a short link answers: its domain (null: the default one) and key. */
export interface RouteAddress {
  domain: string | null;
  key: string;
}

export interface PageRequest {
  take: number;
  skip: number;
  sort: 'asc' | 'desc';
}

/** What a list of links is ordered by (Hop's `orderBy`; each has an index): creation, destination URL, key, title. */
export const LINK_ORDERS = ['createdAt', 'url', 'key', 'title'] as const;
export type LinkOrder = (typeof LINK_ORDERS)[number];

export interface LinkPageRequest extends PageRequest {
  orderBy: LinkOrder;
}

/** A route a link no longer answers at (deleted, or moved away): the link, its old route, its new version. */
export interface LeftRoute {
  id: string;
  shortId: string;
  domain: string | null;
  version: number;
}

/**
 * The links table; every method is scoped to a workspace except the route lookups (routes are per
 * domain, not per workspace). Writes that break a unique index throw the DomainError of the
 * conflict (EXTERNAL_ID_TAKEN, KEY_TAKEN).
 */
export interface LinkStore {
  /** Serialises writes of one workspace (quota and external-id checks see committed state). */
  lockWorkspace(q: Queryable, workspaceId: string): Promise<void>;
  countLive(q: Queryable, workspaceId: string): Promise<number>;
  /** The workspace's live links among `ids`, locked for update. */
  findLiveForUpdate(q: Queryable, workspaceId: string, ids: string[]): Promise<Link[]>;
  /** The external ids among `externalIds` that live links other than `exceptIds` hold. */
  externalIdHolders(q: Queryable, workspaceId: string, externalIds: string[], exceptIds: string[]): Promise<Set<string>>;
  /** The route ids among `routes` that live links other than `exceptIds` hold. */
  routeHolders(q: Queryable, routes: RouteAddress[], exceptIds: string[]): Promise<Set<string>>;
  /**
   * Inserts links in input order; returns the route ids that were already taken, whose links were
   * not inserted (the caller retries random keys and refuses chosen ones).
   */
  insert(q: Queryable, links: Link[]): Promise<Set<string>>;
  /** Writes every field of existing live links (the caller merged the changes). */
  update(q: Queryable, workspaceId: string, links: Link[]): Promise<void>;
  /** Soft-deletes the workspace's live links among `ids`; returns what was deleted with its new version. */
  softDelete(q: Queryable, workspaceId: string, ids: string[], now: Date): Promise<LeftRoute[]>;
  /** Removes a tag from the workspace's links; returns how many links had it. */
  removeTag(q: Queryable, workspaceId: string, tagId: string, now: Date): Promise<number>;
  list(q: Queryable, workspaceId: string, filter: LinkFilter, page: LinkPageRequest): Promise<{ links: Link[]; total: number }>;
  findById(q: Queryable, workspaceId: string, id: string): Promise<Link | null>;
  findLiveByRoute(q: Queryable, route: RouteAddress): Promise<Link | null>;
  countLiveOnDomains(q: Queryable, workspaceId: string, domainIds: string[]): Promise<Map<string, number>>;
  /**
   * Every workspace's links (deleted ones too) after link id `after`, in id order: the one
   * cross-workspace read, for the analytics backfill of links' collections.
   */
  collectionsPage(q: Queryable, after: string | null, limit: number): Promise<LinkCollectionEntry[]>;
}

/** A link's collection as of its version (the version its links.v1 events carry: updatedAt in ms). */
export interface LinkCollectionEntry {
  workspaceId: string;
  linkId: string;
  collectionId: string | null;
  version: number;
}

export interface DomainFilter {
  names?: string[];
  statuses?: DomainStatus[];
}

/**
 * The domains table; every method is scoped to a workspace except the redirector's and the
 * checker's. A save that verifies a name another workspace verified first throws DOMAIN_TAKEN.
 */
export interface DomainStore {
  count(q: Queryable, workspaceId: string): Promise<number>;
  list(q: Queryable, workspaceId: string, filter: DomainFilter, page: PageRequest): Promise<{ domains: CustomDomain[]; total: number }>;
  /** The workspace's domains among `ids`, locked for update. */
  findForUpdate(q: Queryable, workspaceId: string, ids: string[]): Promise<CustomDomain[]>;
  findByName(q: Queryable, workspaceId: string, name: string): Promise<CustomDomain | null>;
  /** The workspace's verified domains among `names`, and its primary domain if verified. */
  usable(q: Queryable, workspaceId: string, names: string[]): Promise<{ byName: Map<string, CustomDomain>; primary: CustomDomain | null }>;
  /** The names among `names` that another workspace verified. */
  verifiedElsewhere(q: Queryable, workspaceId: string, names: string[]): Promise<Set<string>>;
  findVerified(q: Queryable, name: string): Promise<CustomDomain | null>;
  /** Inserts or rewrites whole domains (the caller merged the changes). */
  save(q: Queryable, domains: CustomDomain[]): Promise<void>;
  /** Clears the primary flag of the workspace's other domains. */
  clearPrimary(q: Queryable, workspaceId: string, exceptId: string, now: Date): Promise<void>;
  delete(q: Queryable, workspaceId: string, ids: string[]): Promise<void>;
  /** Claims up to `limit` unverified domains last checked before `before` (or never) for a periodic check. */
  /** Claims domains due a periodic DNS check (other instances skip them): unverified ones in their window, verified ones not checked since `verifiedBefore`. */
  claimDue(
    q: Queryable,
    due: { unverified: { before: Date; windowStart: Date }; verifiedBefore: Date | null },
    now: Date,
    limit: number,
  ): Promise<{ workspaceId: string; id: string; status: DomainStatus }[]>;
}

/** Versioned records the redirector reads from Redis; a cache, so writes never throw (failures are logged). */
export interface RecordCache<T> {
  put(records: T[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
}

export type ReferenceKind = 'collection' | 'tag' | 'partner';

/** Asks the owning services which referenced ids exist in the workspace. */
export interface ReferenceLookup {
  /** The ids of each kind that do not exist (or are deleted) in the caller's workspace. */
  missing(ctx: RequestContext, wanted: Record<ReferenceKind, Set<string>>): Promise<Record<ReferenceKind, Set<string>>>;
}

/** DNS TXT lookups. */
export interface TxtLookup {
  /** The name's TXT records (each a list of character strings); [] when it has none; null when DNS failed. */
  records(name: string): Promise<string[][] | null>;
}

/** What the use cases work with (wired in main.ts). */
export interface LinkDeps {
  db: DataSource;
  store: LinkStore;
  routes: RecordCache<Route>;
  references: ReferenceLookup;
  cipher: PasswordCipher;
  /** Asked to publish right after a commit that enqueued events. */
  relay?: { wake(): void };
  bases: ShortUrlBases;
  domains: DomainStore;
  domainCache: RecordCache<DomainRecord>;
  txt: TxtLookup;
  /** Hosts no branded domain may take: the deployment's own (short links, API). */
  ownHosts: readonly string[];
  qrCodes: QrCodes;
}

/** Renders QR codes (PNG data URLs) of texts, in their order, away from the request thread. */
export interface QrCodes {
  dataUrls(texts: string[]): Promise<string[]>;
}
