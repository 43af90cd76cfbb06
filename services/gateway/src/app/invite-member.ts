import { randomUUID } from 'node:crypto';
import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { validate } from '@hop/http';
import { auditEntry, managingRole, type Caller } from '../domain/audit';
import { mayManageRole, type Role } from '../domain/roles';
import { hashToken, randomToken } from '../domain/session';
import { accessFields } from './access-schemas';
import type { AccessDeps, Invitation } from './ports';

const schema = Joi.object({ email: accessFields.email.required(), role: accessFields.role.required() });

/** Refuses a change of someone with (or to) `role` that the caller's role may not make. */
export function requireMayManage(caller: Caller, role: Role): void {
  if (!mayManageRole(managingRole(caller), role)) {
    throw new DomainError('ROLE_FORBIDDEN', { params: { reason: { en: `only an owner may grant, change or remove the ${role} role`, ar: `وحده المالك يمكنه منح الدور ${role} أو تغييره أو إزالته` } } });
  }
}

/**
 * POST /api/invitations: a single-use invitation to join the workspace with a role, valid for
 * INVITATION_TTL_HOURS. The token is returned once (in the link); only its hash is stored.
 */
export async function inviteMember(
  deps: Pick<AccessDeps, 'access' | 'settings'>,
  workspaceId: string,
  caller: Caller,
  input: unknown,
): Promise<{ invitation: Invitation; token: string }> {
  const { email, role } = validate(schema, input) as { email: string; role: Role };
  requireMayManage(caller, role);
  const token = randomToken();
  const now = new Date();
  const invitation: Invitation = {
    id: randomUUID(),
    workspaceId,
    email,
    role,
    invitedBy: caller.actor.id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.settings.invitationTtlSeconds * 1000),
    acceptedAt: null,
  };
  await deps.access.transaction(async (tx) => {
    await tx.insertInvitation(invitation, hashToken(token));
    await tx.appendAudit(auditEntry(workspaceId, caller, 'member.invited', { type: 'invitation', id: invitation.id }, { email, role }));
  });
  return { invitation, token };
}
