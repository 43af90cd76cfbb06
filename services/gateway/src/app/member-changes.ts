import { DomainError } from '@hop/errors';
import type { Caller } from '../domain/audit';
import type { Role } from '../domain/roles';
import { requireMayManage } from './invite-member';
import type { AccessTx } from './ports';

export const memberNotFound = (userId: string) =>
  new DomainError('NOT_FOUND', { details: [{ path: 'userId', field: 'userId', message: `no member ${userId} in this workspace` }] });

/**
 * The member's current role, with the workspace's memberships locked until the transaction ends.
 * Refuses (in this order) an unknown member, a change the caller's role may not make (`managed`:
 * false when a user leaves on their own), and one that would leave the workspace without an owner.
 */
export async function lockForChange(tx: AccessTx, workspaceId: string, userId: string, change: { to: Role | null; caller: Caller; managed: boolean }): Promise<Role> {
  const owners = await tx.lockOwners(workspaceId);
  const role = await tx.roleOf(workspaceId, userId);
  if (!role) throw memberNotFound(userId);
  if (change.managed) requireMayManage(change.caller, role);
  if (role === 'owner' && change.to !== 'owner' && owners.length === 1) throw new DomainError('LAST_OWNER');
  return role;
}
