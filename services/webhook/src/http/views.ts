import type { Delivery } from '../app/ports';
import type { Subscription } from '../domain/subscription';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** A subscription as the API shows it; `secret` only when it was just created (or rotated). */
export const subscriptionView = (s: Subscription, withSecret = false) => ({
  id: s.id,
  name: s.name,
  url: s.url,
  events: s.events,
  collectionIds: s.collectionIds,
  linkIds: s.linkIds,
  active: s.active,
  disabledReason: s.disabledReason,
  ...(withSecret ? { secret: s.secret } : {}),
  previousSecretExpiresAt: s.previousSecretExpiresAt && new Date(s.previousSecretExpiresAt) > new Date() ? iso(s.previousSecretExpiresAt) : null,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

/** A delivery, its last attempt, and every attempt logged (webhook-id = id). */
export const deliveryView = (d: Delivery) => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  state: d.state,
  attempt: d.attempts,
  requestedAt: iso(d.lastAttemptAt),
  durationMs: d.durationMs,
  responseStatus: d.responseStatus,
  responseBody: d.responseBody,
  error: d.error,
  nextAttemptAt: d.state === 'pending' ? iso(d.nextAttemptAt) : null,
  createdAt: iso(d.createdAt),
  attempts: d.log.map((a) => ({
    attempt: a.attempt,
    requestedAt: iso(a.startedAt),
    durationMs: a.durationMs,
    responseStatus: a.responseStatus,
    responseBody: a.responseBody,
    error: a.error,
  })),
});
