import type { EventEnvelope } from '@hop/events';
import type { Caller, ClickRef, Customer, CustomerProfile, Lead, LinkObject } from '../domain/model';

export interface Clicks {
  find(caller: Caller, clickId: string): Promise<ClickRef | null>;
}

export interface Links {
  get(caller: Caller, linkId: string): Promise<LinkObject | null>;
}

export interface NewSale {
  id: string;
  customerId: string;
  leadId: string | null;
  clickId: string;
  linkId: string;
  partnerId: string | null;
  eventName: string;
  amount: number;
  currency: string;
  metadata: Record<string, unknown> | null;
  idempotencyKey: string | null;
  requestFingerprint: string | null;
  response: Record<string, unknown>;
  createdAt: Date;
}

export interface RecordedSale {
  requestFingerprint: string | null;
  response: Record<string, unknown>;
}

export interface CustomerFilter {
  ids?: string[];
  externalIds?: string[];
  take: number;
  skip: number;
  sort: 'asc' | 'desc';
}

/** Customers, leads and sales of one workspace. */
export interface ConversionStore {
  /**
   * Creates the customer or updates it, in one statement: concurrent first events for a new
   * externalId make exactly one customer (`id` is used only if it is new).
   */
  upsertCustomer(id: string, profile: CustomerProfile): Promise<Customer>;
  /** The customer's most recent lead (of that event name, when given). */
  latestLead(customerExternalId: string, eventName?: string): Promise<Lead | null>;
  insertLead(lead: Lead): Promise<void>;
  /** False when a sale with its idempotency key exists already (nothing was written). */
  insertSale(sale: NewSale): Promise<boolean>;
  findSale(idempotencyKey: string): Promise<RecordedSale | null>;
  listCustomers(filter: CustomerFilter): Promise<[Customer[], number]>;
}

export interface Outbox {
  /** Records conversions.v1 events to publish once the transaction commits, each keyed by `keyOf`. */
  enqueue<E extends EventEnvelope>(events: E[], keyOf: (e: E) => string): Promise<void>;
}

/** Opens a workspace's store, outside or inside a transaction. */
export interface ConversionAccess {
  read(workspaceId: string): ConversionStore;
  /** Runs `work` in one transaction: the writes and the events it enqueues commit together, or none does. */
  write<T>(workspaceId: string, work: (store: ConversionStore, outbox: Outbox) => Promise<T>): Promise<T>;
}

/** What the use cases work with; wired in main.ts. */
export interface ConversionPorts {
  store: ConversionAccess;
  clicks: Clicks;
  links: Links;
  /** Called after a transaction that enqueued events committed (wakes the outbox relay). */
  eventsCommitted: () => void;
}
