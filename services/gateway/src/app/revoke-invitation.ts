import { DomainError } from '@hop/errors';
import { auditEntry, type Caller } from '../domain/audit';
import { requireMayManage } from './invite-member';
import type { AccessDeps, Invitation } from './ports';
import { requireUuid } from './schemas';

/** DELETE /api/invitations?id=: a pending invitation of the workspace stops working. */
export async function revokeInvitation(deps: Pick<AccessDeps, 'access'>, workspaceId: string, caller: Caller, id: unknown): Promise<Invitation> {
  const invitationId = requireUuid('id', id);
  return deps.access.transaction(async (tx) => {
    const invitation = await tx.revokeInvitation(workspaceId, invitationId);
    if (!invitation) throw new DomainError('NOT_FOUND', { details: [{ path: 'id', field: 'id', message: `no pending invitation ${invitationId} in this workspace` }] });
    requireMayManage(caller, invitation.role);
    await tx.appendAudit(auditEntry(workspaceId, caller, 'invitation.revoked', { type: 'invitation', id: invitationId }, { email: invitation.email }));
    return invitation;
  });
}
