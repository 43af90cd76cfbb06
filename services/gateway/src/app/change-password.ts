import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { validate } from '@hop/http';
import { verifyPassword } from '../domain/password';
import { accessFields } from './access-schemas';
import { hashNewPassword } from './password-policy';
import type { AccessDeps, SessionGrant } from './ports';
import { openSession, type Client, type SignedIn } from './sign-in';

const schema = Joi.object({ currentPassword: accessFields.password.required(), newPassword: accessFields.password.required() });

/**
 * POST /auth/password: checks the current password, sets the new one and revokes every session
 * of the user (a stolen cookie dies with the old password); the caller gets a fresh session.
 */
export async function changePassword(deps: AccessDeps, grant: SessionGrant, input: unknown, client: Client): Promise<SignedIn> {
  const { currentPassword, newPassword } = validate(schema, input) as { currentPassword: string; newPassword: string };
  const user = await deps.access.getUser(grant.userId);
  if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new DomainError('INVALID_CREDENTIALS', { details: [{ path: 'currentPassword', field: 'currentPassword', message: 'is not your current password' }] });
  }
  const passwordHash = await hashNewPassword(newPassword, user.email, 'newPassword');
  return deps.access.transaction(async (tx) => {
    await tx.setPassword(user.id, passwordHash);
    await tx.revokeSessionsOf(user.id);
    return openSession(tx, deps, { ...user, passwordHash }, client);
  });
}
