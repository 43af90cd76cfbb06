import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { validate } from '@hop/http';
import { auditEntry, OPERATOR_CALLER } from '../domain/audit';
import type { PlanName } from '../domain/plans';
import type { AdminDeps, Workspace } from './ports';
import { requireUuid, workspaceFields } from './schemas';

const schema = Joi.object({ plan: workspaceFields.plan, rateLimit: workspaceFields.rateLimit })
  .or('plan', 'rateLimit')
  .messages({ 'object.missing': 'give plan and/or rateLimit' });

export const workspaceNotFound = (id: string, field = 'workspaceId') =>
  new DomainError('NOT_FOUND', { details: [{ path: field, field, message: `no workspace with id ${id}` }] });

/**
 * The operator changes a workspace's plan or rate limit (audited as workspace.updated); its keys'
 * cached lookups are dropped so the change applies at once.
 */
export async function updateWorkspace(deps: AdminDeps, id: string, input: unknown): Promise<Workspace> {
  requireUuid('workspaceId', id);
  const { plan, rateLimit } = validate(schema, input) as { plan?: PlanName; rateLimit?: number | null };
  const changes = { ...(plan !== undefined && { plan }), ...(rateLimit !== undefined && { rateLimitOverride: rateLimit }) };
  const updated = await deps.access.transaction(async (tx) => {
    const workspace = await tx.workspaces.update(id, changes);
    if (workspace) await tx.appendAudit(auditEntry(id, OPERATOR_CALLER, 'workspace.updated', { type: 'workspace', id }, changes));
    return workspace;
  });
  if (!updated) throw workspaceNotFound(id);
  await deps.keyCache.drop(await deps.keys.hashesOfWorkspace(id));
  return updated;
}
