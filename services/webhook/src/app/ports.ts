import type { WebhookEvent, WebhookEventType } from '../domain/events';
import type { ClickRecorded, ConversionRecorded, LinkObject } from '../domain/payloads';
import type { Subscription } from '../domain/subscription';

export interface Page {
  take: number;
  skip: number;
  sort: 'asc' | 'desc';
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** One HTTP attempt of a delivery, as the log keeps it. */
export interface LoggedAttempt {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  responseStatus: number | null;
  /** The first 1 KB of the answer. */
  responseBody: string | null;
  error: string | null;
}

/** One event for one subscription: recorded before it is attempted, its last attempt's outcome on it. */
export interface Delivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: WebhookEventType;
  state: DeliveryState;
  attempts: number;
  lastAttemptAt: Date | null;
  durationMs: number | null;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  /** Every attempt logged, first to last (those past retention are gone). */
  log: LoggedAttempt[];
}

export interface DeliveryFilter extends Page {
  state?: DeliveryState;
  eventType?: WebhookEventType;
  eventId?: string;
}

/** New secrets for subscriptions (whsec_ + random bytes, Standard Webhooks' format). */
export type NewSecret = () => string;

/** One workspace's subscriptions and deliveries. */
export interface WebhookStore {
  list(page: Page & { ids?: string[] }): Promise<{ items: Subscription[]; total: number }>;
  /** The live subscriptions among `ids`, locked for the rest of the transaction. */
  lockByIds(ids: string[]): Promise<Subscription[]>;
  insert(rows: Subscription[]): Promise<void>;
  update(rows: Subscription[]): Promise<void>;
  /** Pending deliveries of subscriptions turned on are due now; of subscriptions turned off, paused. */
  setPendingDue(subscriptionIds: string[], due: boolean): Promise<void>;
  softDelete(ids: string[]): Promise<string[]>;
  deliveries(subscriptionId: string, filter: DeliveryFilter): Promise<{ items: Delivery[]; total: number }>;
  /** Makes a delivery due now again (whatever its state); null when the subscription has no such delivery. */
  redeliver(subscriptionId: string, deliveryId: string): Promise<Delivery | null>;
  /** Records deliveries of `events` to `subscription`, due now. */
  enqueue(subscription: Subscription, events: WebhookEvent[]): Promise<Delivery[]>;
}

export interface WebhookAccess {
  read(workspaceId: string): WebhookStore;
  write<T>(workspaceId: string, work: (store: WebhookStore) => Promise<T>): Promise<T>;
}

/** Whether a receiver URL may be used; the reason it may not (for the `url` field's detail). */
export type CheckDestination = (url: string) => Promise<string | null>;

/** Subscriptions of many workspaces, and deliveries recorded for them (the consumers' side). */
export interface DeliveryQueue {
  activeSubscriptions(workspaceIds: string[]): Promise<Subscription[]>;
  /**
   * Records each (subscription, event) pair once, however often an event is consumed: how many
   * were recorded, and how many of those wait for the dispatcher to claim them (the others it
   * took on as they were recorded).
   */
  enqueue(pairs: { subscription: Subscription; event: WebhookEvent }[]): Promise<{ recorded: number; waiting: number }>;
}

/** The local projection of links.v1 (links as the link service shows them), filled on demand. */
export interface LinkDirectory {
  /** Links by id for one workspace; those the projection lacks are asked of the link service and kept. */
  find(workspaceId: string, linkIds: string[]): Promise<Map<string, LinkObject>>;
  /** The link service's current copy, kept in the projection (null when it no longer knows it). */
  refresh(workspaceId: string, linkId: string): Promise<LinkObject | null>;
  /** Drops links from the projection (they changed while nobody needed them: asked again when needed). */
  forget(workspaceId: string, linkIds: string[]): Promise<void>;
}

/** Called after deliveries were recorded, so the dispatcher does not wait for its next poll. */
export type WakeDispatcher = () => void;

/** An event of links.v1, clicks.v1 or conversions.v1, as the consumers read it. */
export type SourceEvent = { id: string; workspaceId: string; occurredAt: Date } & (
  | { kind: 'link.upserted'; linkId: string; version: number }
  | { kind: 'link.deleted'; linkId: string; version: number }
  | { kind: 'link.clicked'; click: ClickRecorded }
  | { kind: 'lead.created' | 'sale.created'; conversion: ConversionRecorded }
);
