import { randomUUID } from 'node:crypto';
import Joi from 'joi';
import { validate } from '@hop/http';
import type { PlanName } from '../domain/plans';
import type { AdminDeps, Workspace } from './ports';
import { workspaceFields } from './schemas';

const schema = Joi.object({
  name: workspaceFields.name.required(),
  plan: workspaceFields.plan.default('free'),
  rateLimit: workspaceFields.rateLimit.default(null),
});

export async function createWorkspace(deps: Pick<AdminDeps, 'workspaces'>, input: unknown): Promise<Workspace> {
  const { name, plan, rateLimit } = validate(schema, input) as { name: string; plan: PlanName; rateLimit: number | null };
  const workspace: Workspace = { id: randomUUID(), name, plan, rateLimitOverride: rateLimit, createdAt: new Date() };
  await deps.workspaces.insert(workspace);
  return workspace;
}
