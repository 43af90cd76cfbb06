import { limitsOf } from '../domain/plans';
import type { ApiKey, Workspace } from './ports';

/** The JSON shapes the admin API and `pnpm hop --json` print. */
export const workspaceView = (w: Workspace) => ({
  id: w.id,
  name: w.name,
  plan: w.plan,
  rateLimitOverride: w.rateLimitOverride,
  limits: limitsOf(w.plan, w.rateLimitOverride),
  createdAt: w.createdAt.toISOString(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const apiKeyView = (k: ApiKey) => ({
  id: k.id,
  workspaceId: k.workspaceId,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: iso(k.lastUsedAt),
  expiresAt: iso(k.expiresAt),
  revokedAt: iso(k.revokedAt),
  createdBy: k.createdBy ?? null,
});
