import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { validate } from '@hop/http';
import type { PlanName } from '../domain/plans';
import type { AdminDeps, Workspace } from './ports';
import { requireUuid, workspaceFields } from './schemas';

const schema = Joi.object({ plan: workspaceFields.plan, rateLimit: workspaceFields.rateLimit })
  .or('plan', 'rateLimit')
  .messages({ 'object.missing': 'give plan and/or rateLimit' });

export const workspaceNotFound = (id: string, field = 'workspaceId') =>
  new DomainError('NOT_FOUND', { details: [{ path: field, field, message: `no workspace with id ${id}` }] });

/** Changes a workspace's plan or rate limit; its keys' cached lookups are dropped so the change applies at once. */
export async function updateWorkspace(deps: AdminDeps, id: string, input: unknown): Promise<Workspace> {
  requireUuid('workspaceId', id);
  const { plan, rateLimit } = validate(schema, input) as { plan?: PlanName; rateLimit?: number | null };
  const updated = await deps.workspaces.update(id, {
    ...(plan !== undefined && { plan }),
    ...(rateLimit !== undefined && { rateLimitOverride: rateLimit }),
  });
  if (!updated) throw workspaceNotFound(id);
  await deps.keyCache.drop(await deps.keys.hashesOfWorkspace(id));
  return updated;
}
