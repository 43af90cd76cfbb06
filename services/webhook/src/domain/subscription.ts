import type { WebhookEvent, WebhookEventType } from './events';

export interface Subscription {
  id: string;
  workspaceId: string;
  name: string;
  url: string;
  events: WebhookEventType[];
  /** Empty: every collection. */
  collectionIds: string[];
  /** Empty: every link. */
  linkIds: string[];
  active: boolean;
  /** Why Hop turned the subscription off (null when a user did, or it is on). */
  disabledReason: string | null;
  secret: string;
  /** The secret before the last rotation: it keeps signing beside the new one until `previousSecretExpiresAt`. */
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a user may set; `id` present means update. */
export interface SubscriptionChanges {
  id?: string;
  name?: string;
  url?: string;
  events?: WebhookEventType[];
  collectionIds?: string[];
  linkIds?: string[];
  active?: boolean;
}

/**
 * Whether a subscription wants an event: the type is one it asked for, the event happened after
 * it was created (a replayed topic never reaches back before it), and the link and collection
 * filters (each empty = any) both pass. Events without a link never pass a link or collection filter.
 */
export function wants(subscription: Subscription, event: WebhookEvent): boolean {
  if (!subscription.events.includes(event.type)) return false;
  if (event.occurredAt.getTime() < subscription.createdAt.getTime()) return false;
  if (subscription.linkIds.length && !(event.linkId && subscription.linkIds.includes(event.linkId))) return false;
  if (subscription.collectionIds.length && !(event.collectionId && subscription.collectionIds.includes(event.collectionId))) return false;
  return true;
}

/** The secrets that sign a delivery made at `now`: the current one, and the previous one during its grace period. */
export function signingSecrets(subscription: Pick<Subscription, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>, now: Date): string[] {
  const { previousSecret, previousSecretExpiresAt } = subscription;
  return previousSecret && previousSecretExpiresAt && previousSecretExpiresAt.getTime() > now.getTime()
    ? [subscription.secret, previousSecret]
    : [subscription.secret];
}
