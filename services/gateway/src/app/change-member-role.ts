import Joi from 'joi';
import { validate } from '@hop/http';
import { auditEntry, type Caller } from '../domain/audit';
import type { Role } from '../domain/roles';
import { accessFields } from './access-schemas';
import { requireMayManage } from './invite-member';
import { lockForChange } from './member-changes';
import type { AccessDeps, Member } from './ports';

const schema = Joi.object({ userId: accessFields.id.required(), role: accessFields.role.required() });

/** PUT /api/members `{userId, role}`: only an owner touches owners; the last owner keeps the role. */
export async function changeMemberRole(deps: Pick<AccessDeps, 'access'>, workspaceId: string, caller: Caller, input: unknown): Promise<Member> {
  const { userId, role } = validate(schema, input) as { userId: string; role: Role };
  requireMayManage(caller, role);
  await deps.access.transaction(async (tx) => {
    const previous = await lockForChange(tx, workspaceId, userId, { to: role, caller, managed: true });
    if (previous === role) return;
    await tx.setRole(workspaceId, userId, role);
    await tx.appendAudit(auditEntry(workspaceId, caller, 'member.role_changed', { type: 'user', id: userId }, { from: previous, to: role }));
  });
  const members = await deps.access.members(workspaceId);
  return members.find((m) => m.userId === userId)!;
}
