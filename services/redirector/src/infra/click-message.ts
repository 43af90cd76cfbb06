import { recentClickKey, recentClickOf, validateEvent, type EventEnvelope } from '@hop/events';
import type { RecordedClick } from '../domain/click';

/**
 * The wire forms of a recorded click, shared by the request thread (which spools clicks while
 * Kafka is away) and the Kafka sender's worker thread (kafka-sender.worker.ts, which serialises
 * everything else off the request thread).
 */

/**
 * Batches stay under Kafka's default 1 MB per record batch even when every message goes to one
 * partition (all clicks of one link do).
 */
const MAX_BATCH_BYTES = 768 * 1024;

/** Which clicks of a batch are checked against the clicks.v1 contract before they are sent (config CLICK_EVENT_CHECK). */
export const CLICK_EVENT_CHECKS = ['every', 'first-of-batch'] as const;
export type ClickEventCheck = (typeof CLICK_EVENT_CHECKS)[number];

export interface ClickMessage {
  key: string;
  value: string;
}

/**
 * The clicks.v1 message of a click: keyed by link, the `click.recorded` envelope as value (event
 * id = click id, so a replay is recognisable). The event is checked against its contract first
 * (the compiled check of libs/events, a few µs off the request thread; joi only for what it does
 * not accept): throws InvalidEventError for a click no consumer would take.
 */
export function clickMessage(click: RecordedClick, check = true): ClickMessage {
  const event: EventEnvelope<'click.recorded', RecordedClick> = {
    id: click.clickId,
    type: 'click.recorded',
    occurredAt: click.timestamp,
    workspaceId: click.workspaceId,
    data: click,
  };
  if (check) validateEvent('clicks', event);
  return { key: click.linkId, value: JSON.stringify(event) };
}

/**
 * The messages of `clicks`, checked as `check` says (every click, or the first of the batch); a
 * click found to break the contract is left out (a consumer would skip it, and it must not hold
 * the others back) and passed to `rejected`.
 */
export function clickMessages(
  clicks: RecordedClick[],
  rejected: (click: RecordedClick, err: Error) => void,
  check: ClickEventCheck = 'every',
): ClickMessage[] {
  const messages: ClickMessage[] = [];
  for (const [i, click] of clicks.entries()) {
    try {
      messages.push(clickMessage(click, check === 'every' || i === 0));
    } catch (err) {
      rejected(click, err as Error);
    }
  }
  return messages;
}

/**
 * The fields of a click in the order it travels to the sender's thread as an array: a structured
 * clone of arrays costs a fraction of one of objects with named fields. Typed as every field of a
 * RecordedClick, once each.
 */
const WIRE_FIELDS = [
  'clickId',
  'linkId',
  'workspaceId',
  'shortId',
  'partnerId',
  'tenantId',
  'externalId',
  'destination',
  'referrer',
  'userAgent',
  'ipHash',
  'country',
  'city',
  'qr',
  'bot',
  'visitorId',
  'visitorSessionId',
  'utm',
  'requestUtm',
  'trigger',
  'timestamp',
] as const satisfies readonly (keyof RecordedClick)[];

/** Does not compile while a field of RecordedClick is missing from WIRE_FIELDS (it would not reach Kafka). */
type Complete<Missing extends never> = Missing;
export type WireFieldsComplete = Complete<Exclude<keyof RecordedClick, (typeof WIRE_FIELDS)[number]>>;

/** A click as the sender's thread receives it. */
export type WireClick = unknown[];

export const toWire = (click: RecordedClick): WireClick => WIRE_FIELDS.map((field) => click[field]);

export function fromWire(wire: WireClick): RecordedClick {
  const click: Record<string, unknown> = {};
  WIRE_FIELDS.forEach((field, i) => (click[field] = wire[i]));
  // The wire form is made by toWire from a RecordedClick, field by field.
  return click as unknown as RecordedClick;
}

/** The short-lived Redis record that lets /api/track/lead attribute a lead seconds after the click (libs/events RecentClick). */
export function recentClickRecord(click: RecordedClick): [key: string, value: string] {
  return [recentClickKey(click.clickId), JSON.stringify(recentClickOf(click))];
}

/**
 * End index (exclusive) of the batch starting at `start`: at most `maxCount` messages and
 * MAX_BATCH_BYTES, and at least one message.
 */
export function batchEnd(messages: ClickMessage[], start: number, maxCount: number): number {
  let bytes = 0;
  let end = start;
  while (end < messages.length && end - start < maxCount) {
    bytes += messages[end].key.length + messages[end].value.length;
    if (bytes > MAX_BATCH_BYTES && end > start) break;
    end++;
  }
  return end;
}
