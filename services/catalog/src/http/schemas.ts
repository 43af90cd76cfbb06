import Joi from 'joi';
import { TAG_COLORS } from '../domain/tag';

/** A UUID in the database's spelling (lower case, no braces), so ids compare as stored. */
export const uuid = Joi.string().guid().lowercase().replace(/[{}]/g, '');

const name = Joi.string().trim().min(1).max(255);
const description = Joi.string().max(5_000).allow(null, '');
const color = Joi.string()
  .valid(...TAG_COLORS)
  .messages({ 'any.only': `must be one of the tag colors: ${TAG_COLORS.join(', ')}` });

/** Name is required to create (no id) and optional to update. */
const nameUnlessUpdating = name.when('id', { is: Joi.exist(), otherwise: Joi.required() });

export const collectionSchemas = {
  createItem: Joi.object({ name: name.required(), description }),
  upsertItem: Joi.object({ id: uuid, name: nameUnlessUpdating, description }),
};

export const tagSchemas = {
  createItem: Joi.object({ name: name.required(), color }),
  upsertItem: Joi.object({ id: uuid, name: nameUnlessUpdating, color }),
};
