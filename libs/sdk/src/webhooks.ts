import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { webhooks } from './generated/schema';

type PayloadOf<Operation> = Operation extends { requestBody: { content: { 'application/json': infer Body } } } ? Body : never;

/** A webhook's payload, told apart by `type` (`link.created`, `lead.created`, …), as the document describes it. */
export type WebhookEvent = { [Type in keyof webhooks]: PayloadOf<webhooks[Type]['post']> }[keyof webhooks];

/** The request's headers: a web `Headers`, node's `req.headers`, or a plain object (names in any case). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** Why a delivery was refused (its message says: missing headers, no matching signature, timestamp too old or too new). */
export { WebhookVerificationError };

const SIGNED_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

function headerOf(headers: WebhookHeaders, name: string): string {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? '';
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * Checks a webhook delivery (Standard Webhooks) and returns its payload: one of the
 * `webhook-signature` signatures must be the HMAC of `webhook-id.webhook-timestamp.body` under
 * `secret` (the subscription's `whsec_…`; during a rotation either secret matches), and
 * `webhook-timestamp` within 5 minutes of now. `body` is the raw body exactly as received (not
 * re-serialised JSON). Throws WebhookVerificationError otherwise.
 */
export function verifyWebhook(secret: string, headers: WebhookHeaders, body: string | Uint8Array): WebhookEvent {
  const signed = Object.fromEntries(SIGNED_HEADERS.map((name) => [name, headerOf(headers, name)]));
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  return new Webhook(secret).verify(text, signed) as WebhookEvent;
}
