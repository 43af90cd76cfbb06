import type { EntityManager } from 'typeorm';
import type { TopicEvent } from '@hop/events';
import type { Logger } from '@hop/telemetry';
import type { Click, WorkspaceClick } from '../domain/click';
import type { LinkCollection } from '../domain/link-collection';
import type { Granularity } from '../domain/report';
import type { LiveClickFeed } from './live-clicks';
import type { ClickAttributes, Dimension, LinkRollupRow, Metrics, WorkspaceRollupRow } from '../domain/rollup';

/** A transaction's handle: the stores' writes inside one `db.transaction` commit together. */
export type Tx = EntityManager;

export interface Transactions {
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/** A lead.created or sale.created event. */
export type ConversionEvent = TopicEvent<'conversions'>;

/** The clicks a query selects: always one workspace's, [from, to) on created_at. */
export interface ClickFilter {
  workspaceId: string;
  linkId?: string;
  partnerId?: string;
  from?: Date | null;
  to?: Date | null;
  includeBots: boolean;
}

export interface ClickPage {
  take: number;
  skip: number;
  sort: 'asc' | 'desc';
}

/** What other services learn about a click (GET /internal/clicks/:clickId). */
export interface ClickRef {
  clickId: string;
  linkId: string;
  workspaceId: string;
  partnerId: string | null;
  shortId: string;
  createdAt: Date;
  leads: number;
  sales: number;
  revenue: number;
}

export interface ClickStore {
  /** Stores the clicks whose id is new; returns those. */
  insertNew(tx: Tx, clicks: Click[]): Promise<Click[]>;
  list(filter: ClickFilter, page: ClickPage): Promise<Click[]>;
  count(filter: ClickFilter): Promise<number>;
  /** When the first matching click was stored; null without any. */
  firstAt(filter: ClickFilter): Promise<Date | null>;
  find(workspaceId: string, clickId: string): Promise<ClickRef | null>;
  /** The attributes of the stored clicks among `refs`, by clickKey. */
  attributes(tx: Tx, refs: WorkspaceClick[]): Promise<Map<string, ClickAttributes>>;
  addConversions(tx: Tx, counts: (WorkspaceClick & { leads: number; sales: number; revenue: number })[]): Promise<void>;
}

/** Whose rollup rows a report reads: one workspace's, optionally one link's and/or one partner's. */
export interface RollupScope {
  workspaceId: string;
  linkId?: string;
  partnerId?: string;
  /** The links this projection (links.v1) knows in the collection. */
  collectionId?: string;
  includeBots: boolean;
}

/** Whole hours [from, to); an open end reads everything on that side. */
export interface Hours {
  from: Date | null;
  to: Date | null;
}

export interface RollupStore {
  add(tx: Tx, rows: { workspace: WorkspaceRollupRow[]; links: LinkRollupRow[] }): Promise<void>;
  total(scope: RollupScope, hours: Hours): Promise<Metrics>;
  breakdown(scope: RollupScope, dimension: Dimension, hours: Hours, take: number): Promise<({ value: string } & Metrics)[]>;
  timeseries(scope: RollupScope, hours: { from: Date; to: Date }, granularity: Granularity, timeZone: string): Promise<({ start: Date } & Metrics)[]>;
  firstHour(workspaceId: string): Promise<Date | null>;
}

/** The monthly partitions of the clicks table. */
export interface ClickPartitions {
  /** Creates the partitions these instants fall in, if missing. */
  ensureFor(instants: Date[]): Promise<void>;
}

/** Conversions whose click is not ingested yet (they can overtake it: the lead API reads the redirector's Redis). */
export interface PendingConversions {
  add(tx: Tx, events: ConversionEvent[], clickIdOf: (e: ConversionEvent) => string): Promise<void>;
  /** Removes and returns the pending conversions whose click is stored now (of `clicks`, or of any stored click). */
  take(tx: Tx, clicks?: WorkspaceClick[]): Promise<ConversionEvent[]>;
  count(tx: Tx): Promise<number>;
}

/** What the use cases work with; wired in main.ts. */
/** The projection of links.v1 that says which collection each link is in. */
export interface LinkCollectionStore {
  upsert(entries: LinkCollection[]): Promise<void>;
  /** Which of `linkIds` (links of `workspaceId`) are in `collectionId` now. */
  inCollection(workspaceId: string, collectionId: string, linkIds: string[]): Promise<Set<string>>;
}

/** One page of the link service's links with their collection and version (GET /internal/link-collections). */
export interface LinkCollectionsPage {
  links: { workspaceId: string; linkId: string; collectionId: string | null; version: number }[];
  /** The cursor of the next page; null on the last one. */
  next: string | null;
}

export interface LinkCollectionSource {
  page(after: string | null): Promise<LinkCollectionsPage>;
}

/** Where a one-off backfill stands: the cursor it reached, or done. */
export interface BackfillProgress {
  cursor: string | null;
  done: boolean;
}

/** Once-per-database jobs' state (table backfills) and the lock that lets one instance run each. */
export interface Backfills {
  /** Runs `work` holding the backfill's lock; resolves to null, without running it, while another instance holds it. */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T | null>;
  progress(name: string): Promise<BackfillProgress>;
  save(name: string, progress: BackfillProgress): Promise<void>;
}

export interface AnalyticsPorts {
  db: Transactions;
  clicks: ClickStore;
  rollups: RollupStore;
  linkCollections: LinkCollectionStore;
  partitions: ClickPartitions;
  pending: PendingConversions;
  /** The consumer name under which applied conversion events are recorded. */
  conversionsConsumer: string;
  /** Where newly stored clicks are announced to live streams (best effort). */
  live: Pick<LiveClickFeed, 'publish'>;
  logger: Logger;
}
