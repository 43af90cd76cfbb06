import { randomUUID } from 'node:crypto';
import Joi from 'joi';
import type { DataOfType, KnownEventType } from './topics';

/** Every event on every topic: `id` is unique and is what consumers deduplicate on. */
export interface EventEnvelope<T extends string = string, D = unknown> {
  id: string;
  type: T;
  occurredAt: string;
  workspaceId: string;
  data: D;
}

/** A new event; the data of a known event type must have that type's contract type (contracts.ts). */
export function newEvent<T extends string, D extends T extends KnownEventType ? DataOfType<T> : unknown>(
  type: T,
  workspaceId: string,
  data: D,
  occurredAt = new Date(),
): EventEnvelope<T, D> {
  return { id: randomUUID(), type, occurredAt: occurredAt.toISOString(), workspaceId, data };
}

export const envelopeSchema = Joi.object({
  id: Joi.string().min(1).max(100).required(),
  type: Joi.string().required(),
  occurredAt: Joi.string().isoDate().required(),
  workspaceId: Joi.string().min(1).required(),
  data: Joi.object().required(),
});
