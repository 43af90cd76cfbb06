import Joi from 'joi';

/** A UUID in the database's spelling (lower case, no braces), so ids compare as stored. */
export const uuid = Joi.string().guid().lowercase().replace(/[{}]/g, '');

const name = Joi.string().trim().min(1).max(255);
const email = Joi.string().trim().email({ tlds: { allow: false } }).max(320).allow(null);
/** Free text (formats vary by country); long enough for "+1 (555) 123-4567 ext. 1234". */
const phone = Joi.string().trim().max(64).allow(null, '');

export const partnerSchemas = {
  createItem: Joi.object({ name: name.required(), email, phone }),
  /** Name is required to create (no id) and optional to update. */
  upsertItem: Joi.object({ id: uuid, name: name.when('id', { is: Joi.exist(), otherwise: Joi.required() }), email, phone }),
};
