import Joi from 'joi';
import { DomainError, type ErrorDetail } from '@hop/errors';

function toDetail(item: Joi.ValidationErrorItem): ErrorDetail {
  const path = item.path;
  const message = item.message.replace(/^"[^"]*" /, '');
  if (typeof path[0] === 'number') {
    const field = path.slice(1).join('.');
    return { path: `[${path[0]}]${field ? `.${field}` : ''}`, index: path[0], field: field || undefined, message };
  }
  const joined = path.join('.');
  return { path: joined, field: joined || undefined, message };
}

/**
 * Validates `value` against `schema`, collecting every problem; throws INVALID_REQUEST whose
 * details name the item index and field. Returns the converted value.
 */
export function validate<T>(schema: Joi.Schema<T>, value: unknown, options: Joi.ValidationOptions = {}): T {
  const result = schema.validate(value, { abortEarly: false, convert: true, ...options });
  if (result.error) throw new DomainError('INVALID_REQUEST', { details: result.error.details.map(toDetail) });
  return result.value;
}

/** Query fragments shared by every documented list endpoint. */
export const listQuery = {
  take: Joi.number().integer().min(1).max(10_000).default(50),
  skip: Joi.number().integer().min(0).default(0),
  sort: Joi.string().valid('asc', 'desc').default('desc'),
};

/** A query parameter that may be given once or repeated (?id=a&id=b); always yields an array. */
export const oneOrMany = (item: Joi.Schema) => Joi.array().items(item).single();

/** A batch body: a non-empty JSON array of at most `max` items. */
export function batchOf(item: Joi.Schema, max: number): Joi.ArraySchema {
  return Joi.array().items(item).min(1).max(max).required();
}

/** The most items any batch request may carry, whatever the plan (Hoko's limit). */
export const MAX_BATCH = 10_000;

/** The batch limit of a request: the plan's bulk limit, capped at MAX_BATCH. */
export const batchLimit = (bulkLimit: number): number => Math.min(MAX_BATCH, bulkLimit > 0 ? bulkLimit : MAX_BATCH);

/**
 * Validates a batch body: a JSON array of 1..max items, each valid against `item` (or the schema
 * `item(value)` picks for it); every problem is reported with its item index and field. An
 * over-long array is refused as BATCH_TOO_LARGE before its items are looked at.
 */
export function readBatch<T>(body: unknown, item: Joi.Schema | ((value: unknown) => Joi.Schema), max: number): T[] {
  if (!Array.isArray(body) || body.length === 0) validate(batchOf(Joi.any(), max), body);
  const items = body as unknown[];
  if (items.length > max) {
    throw new DomainError('BATCH_TOO_LARGE', {
      params: { max },
      details: [{ path: '', message: `must contain at most ${max} items, got ${items.length}` }],
    });
  }
  const details: ErrorDetail[] = [];
  const values = items.map((value, index): T | undefined => {
    const schema = (typeof item === 'function' ? item(value) : item) as Joi.Schema<T>;
    const result = schema.validate(value, { abortEarly: false, convert: true });
    if (!result.error) return result.value;
    for (const d of result.error.details) details.push(toDetail({ ...d, path: [index, ...d.path] }));
    return undefined;
  });
  if (details.length) throw new DomainError('INVALID_REQUEST', { details });
  return values as T[]; // every item validated: none is undefined
}
