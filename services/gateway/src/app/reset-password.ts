import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { validate } from '@hop/http';
import { accessFields } from './access-schemas';
import { hashNewPassword } from './password-policy';
import type { AccessDeps, User } from './ports';

const schema = Joi.object({ email: accessFields.email.required(), password: accessFields.password.required() });

/** `pnpm hop user reset-password`: the operator sets a new password; every session of the account ends. */
export async function resetPassword(deps: Pick<AccessDeps, 'access'>, input: unknown): Promise<User> {
  const { email, password } = validate(schema, input) as { email: string; password: string };
  const user = await deps.access.findUserByEmail(email);
  if (!user) throw new DomainError('NOT_FOUND', { details: [{ path: 'email', field: 'email', message: `no account for ${email}` }] });
  const passwordHash = await hashNewPassword(password, user.email);
  await deps.access.transaction(async (tx) => {
    await tx.setPassword(user.id, passwordHash);
    await tx.revokeSessionsOf(user.id);
  });
  return { ...user, passwordHash };
}
