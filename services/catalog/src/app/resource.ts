import type { EventEnvelope } from '@hop/events';
import type { Changes } from '../domain/batch';
import type { ResourceAccess, ResourceStore } from './ports';

/** What the generic use cases need to know about one kind of record (collections, tags). */
export interface ResourceDefinition<R extends W, W extends { id: string }> {
  /** How messages name the kind ("Collection"). */
  label: string;
  access: ResourceAccess<R, W>;
  /** A new record from a create item (defaults applied). */
  build(id: string, changes: Changes<Omit<W, 'id'>>): W;
  /** A rule over a write batch's resulting records, checked inside its transaction. */
  checkBatch?(store: ResourceStore<R, W>, batch: { index: number; row: W }[]): Promise<void>;
  /** The event recorded (through the outbox) for each deleted record. */
  deletedEvent?: (workspaceId: string, id: string) => EventEnvelope;
}
