/** The event types a subscription can ask for (Dub's names; Hoko has no webhooks). */
export const WEBHOOK_EVENT_TYPES = ['link.created', 'link.updated', 'link.deleted', 'link.clicked', 'lead.created', 'sale.created'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const isWebhookEventType = (value: string): value is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

/**
 * One event ready to be delivered: `id` is the source event's id (the idempotency key of its
 * deliveries), `linkId`/`collectionId` let subscriptions' filters select it.
 */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  workspaceId: string;
  occurredAt: Date;
  linkId: string | null;
  collectionId: string | null;
  data: Record<string, unknown>;
}

/** The body a receiver gets (Standard Webhooks: type, timestamp, data). */
export const webhookBody = (event: Pick<WebhookEvent, 'type' | 'occurredAt' | 'data'>) =>
  JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data });
