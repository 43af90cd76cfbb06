// @ts-check
/**
 * The wire forms of a recorded click, shared by the request thread (which spools clicks while
 * Kafka is away) and the Kafka sender's worker thread (kafka-sender.worker.js, which serialises
 * everything else off the request thread): plain JavaScript, so both load it as is from src/
 * (tests) and dist/ (allowJs copies it).
 */

/**
 * Batches stay under Kafka's default 1 MB per record batch even when every message goes to one
 * partition (all clicks of one link do).
 */
const MAX_BATCH_BYTES = 768 * 1024;

/**
 * The clicks.v1 message of a click: keyed by link, the `click.recorded` envelope as value (event
 * id = click id, so a replay is recognisable).
 * @param {import('../domain/click').RecordedClick} click
 * @returns {{ key: string, value: string }}
 */
function clickMessage(click) {
  const event = { id: click.clickId, type: 'click.recorded', occurredAt: click.timestamp, workspaceId: click.workspaceId, data: click };
  return { key: click.linkId, value: JSON.stringify(event) };
}

/**
 * The fields of a click in the order it travels to the sender's thread as an array: a structured
 * clone of arrays costs a fraction of one of objects with named fields.
 * @type {readonly (keyof import('../domain/click').RecordedClick)[]}
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
];

/**
 * @param {import('../domain/click').RecordedClick} click
 * @returns {unknown[]}
 */
const toWire = (click) => WIRE_FIELDS.map((field) => click[field]);

/**
 * @param {unknown[]} wire
 * @returns {import('../domain/click').RecordedClick}
 */
function fromWire(wire) {
  /** @type {Record<string, unknown>} */
  const click = {};
  WIRE_FIELDS.forEach((field, i) => (click[field] = wire[i]));
  return /** @type {import('../domain/click').RecordedClick} */ (/** @type {unknown} */ (click));
}

/** @param {string} clickId */
const recentClickKey = (clickId) => `click:${clickId}`;

/**
 * The short-lived Redis record that lets /api/track/lead attribute a lead seconds after the click.
 * @param {import('../domain/click').RecordedClick} click
 * @returns {[key: string, value: string]}
 */
function recentClickRecord(click) {
  const { clickId, linkId, workspaceId, partnerId, shortId, tenantId, externalId, timestamp } = click;
  return [recentClickKey(clickId), JSON.stringify({ clickId, linkId, workspaceId, partnerId, shortId, tenantId, externalId, timestamp })];
}

/**
 * End index (exclusive) of the batch starting at `start`: at most `maxCount` messages and
 * MAX_BATCH_BYTES, and at least one message.
 * @param {{ key: string, value: string }[]} messages
 * @param {number} start
 * @param {number} maxCount
 */
function batchEnd(messages, start, maxCount) {
  let bytes = 0;
  let end = start;
  while (end < messages.length && end - start < maxCount) {
    bytes += messages[end].key.length + messages[end].value.length;
    if (bytes > MAX_BATCH_BYTES && end > start) break;
    end++;
  }
  return end;
}

module.exports = { batchEnd, clickMessage, fromWire, recentClickRecord, toWire };
