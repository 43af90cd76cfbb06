import Joi from 'joi';
import { validate } from '@hop/http';
import { PLAN_NAMES } from '../domain/plans';
import { SCOPES } from '../domain/scopes';

/** Admin input rules shared by the HTTP admin API and the CLI, so both reject the same things. */
export const workspaceFields = {
  name: Joi.string().trim().min(1).max(200),
  plan: Joi.string().valid(...PLAN_NAMES),
  rateLimit: Joi.number().integer().min(1).max(10_000_000).allow(null),
};

export const keyFields = {
  name: Joi.string().trim().min(1).max(200),
  scopes: Joi.array().items(Joi.string().valid(...SCOPES)).min(1).unique(),
  allScopes: Joi.boolean(),
  expiresAt: Joi.date().iso().greater('now').allow(null),
};

export const uuid = Joi.string().guid({ version: ['uuidv4', 'uuidv5', 'uuidv7', 'uuidv1'] });

/** Validates an id taken from a path or argument, naming the field in the 400's details. */
export function requireUuid(field: string, value: unknown): string {
  validate(Joi.object({ [field]: uuid.required() }), { [field]: value });
  return value as string;
}
