import { randomUUID } from 'node:crypto';
import type { WebhookEventType } from '../domain/events';
import { sampleEvent, type ClickDescriber } from '../domain/payloads';
import { notFound } from './errors';
import type { DeliveryFilter, WakeDispatcher, WebhookAccess } from './ports';
import { getSubscription } from './read-subscriptions';

export async function listDeliveries(access: WebhookAccess, workspaceId: string, subscriptionId: string, filter: DeliveryFilter) {
  await getSubscription(access, workspaceId, subscriptionId);
  return access.read(workspaceId).deliveries(subscriptionId, filter);
}

/** Delivers a sample event of `type` through the normal path (recorded, signed, retried, logged). */
export async function sendTestEvent(
  deps: { access: WebhookAccess; describe: ClickDescriber; wake: WakeDispatcher },
  workspaceId: string,
  subscriptionId: string,
  type: WebhookEventType,
) {
  const subscription = await getSubscription(deps.access, workspaceId, subscriptionId);
  const event = sampleEvent(type, randomUUID(), workspaceId, new Date(), deps.describe);
  const [delivery] = await deps.access.write(workspaceId, (store) => store.enqueue(subscription, [event]));
  deps.wake();
  return delivery;
}

/** Sends a delivery again (same webhook-id, so receivers can tell it is a repeat). */
export async function retryDelivery(
  deps: { access: WebhookAccess; wake: WakeDispatcher },
  workspaceId: string,
  subscriptionId: string,
  deliveryId: string,
) {
  await getSubscription(deps.access, workspaceId, subscriptionId);
  const delivery = await deps.access.write(workspaceId, (store) => store.redeliver(subscriptionId, deliveryId));
  if (!delivery) throw notFound();
  deps.wake();
  return delivery;
}
