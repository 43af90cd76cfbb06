import Joi from 'joi';
import { listQuery, validate } from '@hop/http';
import type { AccessDeps, AuditView } from './ports';

const schema = Joi.object({ take: listQuery.take.max(500), skip: listQuery.skip });

/** GET /api/audit-log?take&skip: the workspace's entries, newest first, with the total. */
export async function listAuditLog(deps: Pick<AccessDeps, 'access'>, workspaceId: string, query: unknown): Promise<{ entries: AuditView[]; total: number }> {
  const page = validate(schema, query) as { take: number; skip: number };
  return deps.access.auditLog(workspaceId, page);
}
