import { limitsOf, type Plan, type PlanName } from './plans';
import type { Role } from './roles';
import type { Actor, Caller } from './audit';

/** What the gateway knows about a key when a request presents it (stored and cached as is). */
export interface KeyRecord {
  keyId: string;
  workspaceId: string;
  scopes: string[];
  /** ISO date-times, so the record survives a JSON round trip through the cache. */
  expiresAt: string | null;
  revokedAt: string | null;
  plan: PlanName;
  rateLimitOverride: number | null;
}

/** A signed-in user acting in one workspace (the X-Hop-Workspace header) with their role there. */
export interface SessionUser {
  id: string;
  email: string;
  role: Role;
  sessionId: string;
}

/** An authenticated caller: an API key, or a signed-in user, and the workspace's effective limits. */
export interface Principal {
  /** Null for a session. */
  keyId: string | null;
  user?: SessionUser;
  workspaceId: string;
  scopes: string[];
  plan: PlanName;
  limits: Plan;
}

export type KeyProblem = 'unknown' | 'revoked' | 'expired';

export function authorizeKey(record: KeyRecord | null, now: Date): { principal: Principal } | { problem: KeyProblem } {
  if (!record) return { problem: 'unknown' };
  if (record.revokedAt) return { problem: 'revoked' };
  if (record.expiresAt && Date.parse(record.expiresAt) <= now.getTime()) return { problem: 'expired' };
  return {
    principal: {
      keyId: record.keyId,
      workspaceId: record.workspaceId,
      scopes: record.scopes,
      plan: record.plan,
      limits: limitsOf(record.plan, record.rateLimitOverride),
    },
  };
}

/** The caller of an access-context route: the signed-in user (with their role) or the key. */
export function callerOf(principal: Principal, ip: string): Caller {
  const actor: Actor = principal.user
    ? { type: 'user', id: principal.user.id, label: principal.user.email, role: principal.user.role }
    : { type: 'key', id: principal.keyId ?? '', label: null };
  return { actor, scopes: principal.scopes, ip };
}
