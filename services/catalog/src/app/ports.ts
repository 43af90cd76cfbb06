import type { EventEnvelope } from '@hop/events';

export interface ListOptions {
  ids?: string[];
  take: number;
  skip: number;
  sort: 'asc' | 'desc';
}

/** One workspace's records of one kind; W is what a write sets, R what a read returns. */
export interface ResourceStore<R extends W, W extends { id: string } = R> {
  list(options: ListOptions): Promise<{ items: R[]; total: number }>;
  existingIds(ids: string[]): Promise<string[]>;
  /** The records among `ids`, locked for the rest of the transaction. */
  lockByIds(ids: string[]): Promise<R[]>;
  /** Records whose name equals one of `names` ignoring case. */
  withNames(names: string[]): Promise<R[]>;
  insert(rows: W[]): Promise<R[]>;
  update(rows: W[]): Promise<R[]>;
  /** Deletes what exists among `ids`; returns the ids it deleted. */
  remove(ids: string[]): Promise<string[]>;
}

export interface Outbox {
  /** Records events to publish once the transaction commits; `key` is the Kafka message key. */
  enqueue(events: { key: string; event: EventEnvelope }[]): Promise<void>;
}

/** Opens a kind's store for a workspace, outside or inside a transaction. */
export interface ResourceAccess<R extends W, W extends { id: string }> {
  read(workspaceId: string): ResourceStore<R, W>;
  /** Runs `work` in one transaction: all of it commits, or none of it does. */
  write<T>(workspaceId: string, work: (store: ResourceStore<R, W>, outbox: Outbox) => Promise<T>): Promise<T>;
}
