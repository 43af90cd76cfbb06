import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { batchOf, validate } from '@hop/http';

/** The most items any batch may carry, whatever the plan. */
export const MAX_BATCH = 10_000;

/** The batch limit of a request: the plan's bulk limit, capped at MAX_BATCH. */
export const batchLimit = (bulkLimit: number): number => Math.min(MAX_BATCH, bulkLimit > 0 ? bulkLimit : MAX_BATCH);

/**
 * Validates a batch body: a JSON array of 1..max items, each valid; every problem is reported
 * with its item index and field. An over-long array is refused before its items are looked at.
 */
export function readBatch<T>(body: unknown, item: Joi.Schema, max: number): T[] {
  if (Array.isArray(body) && body.length > max) {
    throw new DomainError('BATCH_TOO_LARGE', {
      params: { max },
      details: [{ path: '', message: `must contain at most ${max} items, got ${body.length}` }],
    });
  }
  return validate<T[]>(batchOf(item, max), body);
}
