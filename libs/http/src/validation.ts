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
  const { error, value: converted } = schema.validate(value, { abortEarly: false, convert: true, ...options });
  if (error) throw new DomainError('INVALID_REQUEST', { details: error.details.map(toDetail) });
  return converted as T;
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
