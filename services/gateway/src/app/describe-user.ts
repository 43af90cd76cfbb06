import type { Role } from '../domain/roles';
import type { AccessTx, User } from './ports';

/** The answer of GET /auth/me and of a sign-in. */
export interface Me {
  user: { id: string; email: string };
  workspaces: { id: string; name: string; role: Role }[];
  csrfToken: string;
}

export async function describeUser(tx: Pick<AccessTx, 'membershipsOf'>, user: Pick<User, 'id' | 'email'>, csrfToken: string): Promise<Me> {
  const memberships = await tx.membershipsOf(user.id);
  return {
    user: { id: user.id, email: user.email },
    workspaces: memberships.map((m) => ({ id: m.workspaceId, name: m.workspaceName, role: m.role })),
    csrfToken,
  };
}
