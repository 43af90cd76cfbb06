import type { ClickInput, RecordedClick } from '../domain/click';
import type { DomainRecord, Route } from '../domain/route';

/** Looks routes up: in-process LRU → Redis → the link service. */
export interface RouteLookup {
  /**
   * The route of a live (not deleted) link, or null when unknown. Paused/expired routes are returned
   * as they are. Rejects with DomainError('UPSTREAM_UNAVAILABLE') when neither Redis nor the link
   * service can answer and no earlier copy is cached (the link may exist: not the same as unknown).
   */
  get(routeId: string): Promise<Route | null>;
}

/** Looks branded domains up (same layers and failure rule as RouteLookup). */
export interface DomainLookup {
  /** The domain when it is verified (served), else null. */
  get(name: string): Promise<DomainRecord | null>;
}

/** The click pipeline: one clicks.v1 event + the Redis recent-click record, off the response's critical path. */
export interface ClickRecorder {
  /** A fresh click id for a click on `route` (signed: see `@hop/events` click-id.ts), before the click is recorded. */
  issueId(route: Route): string;
  /** Records a counted click; returns at once with the click as it will be published. */
  record(click: ClickInput): RecordedClick;
}

/** Where recorded clicks go (the Kafka pipeline with its spool, plus the recent-click Redis record). */
export interface ClickSink {
  publish(click: RecordedClick): void;
}

/** Counts failed password attempts per visitor and link. */
export interface AttemptLimiter {
  /** Seconds until the visitor may try again, or 0 if allowed. */
  blockedFor(key: string): Promise<number>;
  recordFailure(key: string): Promise<void>;
  /** Forgets the failures (after a correct password). */
  reset(key: string): Promise<void>;
}

export interface Geo {
  country: string | null;
  city: string | null;
}

/** Version-guarded writes of records by id (routes by route id, domains by name). */
export interface RecordWriter<T> {
  upsert(id: string, record: T & { version: number }): Promise<boolean>;
  remove(id: string, version: number): Promise<boolean>;
}

export type RouteWriter = RecordWriter<Route>;
