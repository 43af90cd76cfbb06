import { randomUUID } from 'node:crypto';
import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { validate } from '@hop/http';
import { auditEntry, OPERATOR_CALLER } from '../domain/audit';
import type { Role } from '../domain/roles';
import { accessFields } from './access-schemas';
import { hashNewPassword } from './password-policy';
import type { AccessDeps, User } from './ports';
import { workspaceNotFound } from './update-workspace';

const schema = Joi.object({
  email: accessFields.email.required(),
  password: accessFields.password.required(),
  workspaceId: accessFields.id.required(),
  role: accessFields.role.default('owner'),
});

/** `pnpm hop user create`: the operator makes an account (typically a workspace's first owner) and its membership. */
export async function createUser(deps: Pick<AccessDeps, 'access' | 'workspaces'>, input: unknown): Promise<{ user: User; role: Role }> {
  const body = validate(schema, input) as { email: string; password: string; workspaceId: string; role: Role };
  if (!(await deps.workspaces.get(body.workspaceId))) throw workspaceNotFound(body.workspaceId);
  if (await deps.access.findUserByEmail(body.email)) {
    const reason = { en: `an account for ${body.email} exists; invite it or reset its password`, ar: `يوجد بالفعل حساب للبريد ${body.email}؛ ادعُه أو أعد تعيين كلمة مروره` };
    throw new DomainError('CONFLICT', { params: { reason } });
  }
  const user: User = { id: randomUUID(), email: body.email, passwordHash: await hashNewPassword(body.password, body.email), createdAt: new Date() };
  await deps.access.transaction(async (tx) => {
    await tx.insertUser(user);
    await tx.setRole(body.workspaceId, user.id, body.role);
    await tx.appendAudit(auditEntry(body.workspaceId, OPERATOR_CALLER, 'member.joined', { type: 'user', id: user.id }, { email: user.email, role: body.role }));
  });
  return { user, role: body.role };
}
