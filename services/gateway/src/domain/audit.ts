import { randomUUID } from 'node:crypto';
import type { Role } from './roles';

/** Who acts: a signed-in user (with their role in the workspace), an API key, or the operator's CLI/admin API. */
export type Actor =
  | { type: 'user'; id: string; label: string; role: Role }
  | { type: 'key'; id: string; label: string | null }
  | { type: 'operator'; id: null; label: string };

export const OPERATOR: Actor = { type: 'operator', id: null, label: 'operator' };

/** Who makes a request of the access context: the actor, the scopes it holds (null: all, the operator) and its address. */
export interface Caller {
  actor: Actor;
  scopes: readonly string[] | null;
  ip: string | null;
}

export const OPERATOR_CALLER: Caller = { actor: OPERATOR, scopes: null, ip: null };

/** The role a caller acts with when managing members: a user's own; a key with membersWrite acts as an admin. */
export const managingRole = (caller: Caller): Role => (caller.actor.type === 'user' ? caller.actor.role : caller.actor.type === 'key' ? 'admin' : 'owner');

/** The audited actions the gateway itself records; other services add theirs through audit.v1. */
export type GatewayAuditAction =
  | 'key.created'
  | 'key.revoked'
  | 'member.invited'
  | 'member.joined'
  | 'member.role_changed'
  | 'member.removed'
  | 'member.left'
  | 'invitation.revoked'
  | 'workspace.updated';

/** One append-only line of a workspace's audit log. */
export interface AuditEntry {
  /** Unique: the audit.v1 event id for entries reported by other services (replays add nothing). */
  id: string;
  workspaceId: string;
  occurredAt: Date;
  actor: { type: Actor['type'] | 'system'; id: string | null; label: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

/** A new entry for a change `caller` makes now. */
export function auditEntry(
  workspaceId: string,
  caller: Caller,
  action: GatewayAuditAction,
  target: AuditEntry['target'],
  details: Record<string, unknown> | null = null,
): AuditEntry {
  const { type, id, label } = caller.actor;
  return { id: randomUUID(), workspaceId, occurredAt: new Date(), actor: { type, id, label }, action, target, details, ip: caller.ip };
}
