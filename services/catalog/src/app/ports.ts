import type { ResourceStore } from '@hop/db';
import type { EventEnvelope } from '@hop/events';

/** The store of one kind of record: catalog's kinds are rows of one table each (libs/db). */
export type { ListOptions, ResourceStore } from '@hop/db';

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
