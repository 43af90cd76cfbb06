import Joi from 'joi';
import { invalid } from '@hop/errors';
import { listQuery } from '@hop/http';
import { MAX_METADATA_BYTES, serialisedSize } from '../domain/model';

/** Tracking endpoints take one JSON object; an array (a batch) or anything else is refused by name. */
export function assertSingleObject(body: unknown): void {
  if (Array.isArray(body)) throw invalid([{ path: '', message: 'body must be a single JSON object, not an array' }]);
  if (body === null || typeof body !== 'object') throw invalid([{ path: '', message: 'body must be a JSON object' }]);
}

const metadata = Joi.object()
  .allow(null)
  .custom((value: Record<string, unknown> | null, helpers) => (value && serialisedSize(value) > MAX_METADATA_BYTES ? helpers.error('metadata.tooLarge') : value))
  .messages({ 'metadata.tooLarge': `must be at most ${MAX_METADATA_BYTES} bytes when serialised as JSON` });

const customerFields = {
  customerExternalId: Joi.string().min(1).max(100).required(),
  customerName: Joi.string().max(100).required(),
  customerEmail: Joi.string().email({ tlds: { allow: false } }).max(254).allow(null),
  customerAvatar: Joi.string().uri({ scheme: ['http', 'https'] }).max(2048).allow(null),
};

// Click ids are at most 64 characters (the clicks.v1 schema).
const clickId = Joi.string().max(64).allow('');

export const trackLeadBody = Joi.object({
  clickId: clickId.required(),
  eventName: Joi.string().min(1).max(255).required(),
  ...customerFields,
  metadata,
});

export const trackSaleBody = Joi.object({
  amount: Joi.number().strict().integer().min(0).max(Number.MAX_SAFE_INTEGER).required(),
  currency: Joi.string()
    .pattern(/^[A-Za-z]{3}$/)
    .lowercase()
    .default('usd')
    .messages({ 'string.pattern.base': 'must be a 3-letter currency code (e.g. "usd")' }),
  eventName: Joi.string().min(1).max(255).default('Purchase'),
  leadEventName: Joi.string().min(1).max(255),
  clickId,
  ...customerFields,
  metadata,
});

/** Validated as an object so an error names the header. */
export const idempotencyHeaders = Joi.object({ 'Idempotency-Key': Joi.string().min(1).max(255) });

/** ?x=a or ?x=a&x=b; an error names the bad item (e.g. "id.1: must be a valid GUID"). */
const oneOrMany = (item: Joi.Schema) => Joi.array().items(item).single();

export const customersQuery = Joi.object({
  id: oneOrMany(Joi.string().guid()),
  externalId: oneOrMany(Joi.string().min(1).max(100)),
  ...listQuery,
});
