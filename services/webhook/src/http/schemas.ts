import Joi from 'joi';
import { listQuery } from '@hop/http';
import { WEBHOOK_EVENT_TYPES } from '../domain/events';

/** A UUID in the database's spelling (lower case, no braces), so ids compare as stored. */
export const uuid = Joi.string().guid().lowercase().replace(/[{}]/g, '');

const fields = {
  name: Joi.string().trim().min(1).max(255),
  url: Joi.string().trim().uri({ scheme: ['http', 'https'] }).max(2048),
  events: Joi.array().items(Joi.string().valid(...WEBHOOK_EVENT_TYPES)).min(1).unique(),
  collectionIds: Joi.array().items(uuid).max(1_000).unique(),
  linkIds: Joi.array().items(uuid).max(1_000).unique(),
  active: Joi.boolean(),
};

/** Name, url and events are required to create (no id) and optional to update. */
const requiredToCreate = (schema: Joi.Schema) => schema.when('id', { is: Joi.exist(), otherwise: Joi.required() });

export const webhookSchemas = {
  createItem: Joi.object({ ...fields, name: fields.name.required(), url: fields.url.required(), events: fields.events.required() }),
  upsertItem: Joi.object({
    id: uuid,
    ...fields,
    name: requiredToCreate(fields.name),
    url: requiredToCreate(fields.url),
    events: requiredToCreate(fields.events),
  }),
  list: Joi.object({ id: Joi.array().items(uuid).single(), ...listQuery }),
  deliveries: Joi.object({
    state: Joi.string().valid('pending', 'delivered', 'failed'),
    eventType: Joi.string().valid(...WEBHOOK_EVENT_TYPES),
    eventId: Joi.string().max(100),
    ...listQuery,
  }),
  test: Joi.object({ type: Joi.string().valid(...WEBHOOK_EVENT_TYPES).default('link.clicked') }),
  rotate: Joi.object({ graceSeconds: Joi.number().integer().min(0).max(7 * 24 * 3600).default(24 * 3600) }),
};
