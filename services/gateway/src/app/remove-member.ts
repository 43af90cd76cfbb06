import { DomainError } from '@hop/errors';
import { auditEntry, type Caller } from '../domain/audit';
import { lockForChange, memberNotFound } from './member-changes';
import type { AccessDeps } from './ports';
import { requireUuid } from './schemas';

/**
 * DELETE /api/members?userId= (managers) and DELETE /api/members/me (a user leaving). The last
 * owner can do neither to themselves nor be removed.
 */
export async function removeMember(deps: Pick<AccessDeps, 'access'>, workspaceId: string, caller: Caller, userId: unknown): Promise<void> {
  const leaving = userId === 'me';
  if (leaving && caller.actor.type !== 'user') throw new DomainError('ROLE_FORBIDDEN', { params: { reason: { en: 'only a signed-in user can leave a workspace', ar: 'وحده المستخدم الذي سجّل دخوله يمكنه مغادرة مساحة العمل' } } });
  const memberId = leaving ? caller.actor.id! : requireUuid('userId', userId);
  await deps.access.transaction(async (tx) => {
    const role = await lockForChange(tx, workspaceId, memberId, { to: null, caller, managed: !leaving });
    if (!(await tx.removeMember(workspaceId, memberId))) throw memberNotFound(memberId);
    const action = leaving ? 'member.left' : 'member.removed';
    await tx.appendAudit(auditEntry(workspaceId, caller, action, { type: 'user', id: memberId }, { role }));
  });
}
