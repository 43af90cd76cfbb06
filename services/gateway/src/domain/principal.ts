import { limitsOf, type Plan, type PlanName } from './plans';

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

/** An authenticated caller: the key and its workspace's effective limits. */
export interface Principal {
  keyId: string;
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
