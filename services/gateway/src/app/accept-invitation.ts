import { randomUUID } from 'node:crypto';
import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { validate } from '@hop/http';
import { auditEntry } from '../domain/audit';
import { verifyPassword } from '../domain/password';
import { hashToken } from '../domain/session';
import { accessFields } from './access-schemas';
import { hashNewPassword } from './password-policy';
import type { AccessDeps, User } from './ports';
import { openSession, type Client, type SignedIn } from './sign-in';

const schema = Joi.object({ token: accessFields.token.required(), password: accessFields.password.required() });

/**
 * POST /auth/invitations/accept `{token, password}`: uses the invitation (once: the claim is one
 * conditional UPDATE) and signs the person in. A new email gets an account with that password
 * (the password rules apply); an existing account proves itself with its password. Someone
 * already in the workspace keeps their role.
 */
export async function acceptInvitation(deps: AccessDeps, input: unknown, client: Client): Promise<SignedIn> {
  const { token, password } = validate(schema, input) as { token: string; password: string };
  return deps.access.transaction(async (tx) => {
    const invitation = await tx.claimInvitation(hashToken(token), new Date());
    if (!invitation) throw new DomainError('INVITATION_INVALID');
    let user = await tx.findUserByEmail(invitation.email);
    if (user && !(await verifyPassword(password, user.passwordHash))) throw new DomainError('INVALID_CREDENTIALS');
    if (!user) {
      user = { id: randomUUID(), email: invitation.email, passwordHash: await hashNewPassword(password, invitation.email), createdAt: new Date() } satisfies User;
      await tx.insertUser(user);
    }
    const current = await tx.roleOf(invitation.workspaceId, user.id);
    if (!current) await tx.setRole(invitation.workspaceId, user.id, invitation.role);
    const joined = { actor: { type: 'user', id: user.id, label: user.email, role: current ?? invitation.role }, scopes: null, ip: client.ip } as const;
    await tx.appendAudit(
      auditEntry(invitation.workspaceId, joined, 'member.joined', { type: 'user', id: user.id }, { invitationId: invitation.id, role: current ?? invitation.role }),
    );
    return openSession(tx, deps, user, client);
  });
}
