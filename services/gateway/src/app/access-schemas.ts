import Joi from 'joi';
import { ROLES } from '../domain/roles';
import { PASSWORD_RULES } from '../domain/password';
import { uuid } from './schemas';

/** Input rules of the access context, shared by its HTTP routes and the CLI. */
export const accessFields = {
  email: Joi.string().trim().lowercase().email({ tlds: false }).max(320),
  // the policy (common passwords, the email) is checked after validation, with its own messages
  password: Joi.string().min(1).max(PASSWORD_RULES.maxLength * 4),
  role: Joi.string().valid(...ROLES),
  id: uuid,
  token: Joi.string().pattern(/^[A-Za-z0-9_-]{43}$/).messages({ 'string.pattern.base': 'is not a token Hop issued' }),
};
