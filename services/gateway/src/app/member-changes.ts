import { DomainError } from '@hop/errors';
import type { Role } from '../domain/roles';
import type { AccessTx } from './ports';

export const memberNotFound = (userId: string) =>
  new DomainError('NOT_FOUND', { details: [{ path: 'userId', field: 'userId', message: `no member ${userId} in this workspace` }] });

/**
 * The member's current role, with the workspace's memberships locked; refuses a change that
 * would leave the workspace without an owner (the member is its last owner and stops being one).
 */
export async function lockForChange(tx: AccessTx, workspaceId: string, userId: string, newRole: Role | null): Promise<Role> {
  const owners = await tx.lockOwners(workspaceId);
  const role = await tx.roleOf(workspaceId, userId);
  if (!role) throw memberNotFound(userId);
  if (role === 'owner' && newRole !== 'owner' && owners.length === 1) throw new DomainError('LAST_OWNER');
  return role;
}
