import { DomainError } from '@hop/errors';
import { limitsOf } from '../domain/plans';
import type { Principal } from '../domain/principal';
import { unmeteredDecision, type RateLimitDecision } from '../domain/rate-limit';
import { ROLE_SCOPES } from '../domain/roles';
import { changesState, hashToken, tokensMatch } from '../domain/session';
import type { AccessSettings, AccessTx, RequestGate } from './ports';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SessionAdmitDeps {
  access: Pick<AccessTx, 'useSession'>;
  gate: Pick<RequestGate, 'consume'>;
  settings: Pick<AccessSettings, 'sessionIdleSeconds'>;
  onRedisFailure: (operation: 'rate-limit', err: unknown) => void;
}

export interface SessionRequest {
  token: string;
  method: string;
  /** X-Hop-Workspace. */
  workspace: string | undefined;
  /** X-CSRF-Token. */
  csrfToken: string | undefined;
  /** False when the request's Origin header names another site (true when absent). */
  originAllowed: boolean;
}

/**
 * Admits an /api request authenticated by the session cookie, for the workspace X-Hop-Workspace
 * names, with the scopes of the user's role there. A state-changing request needs the session's
 * CSRF token in X-CSRF-Token and no foreign Origin. Counted against the workspace's rate limit
 * like a key's request. Throws the refusal (401 not signed in, 400 no workspace, 403 CSRF or not a member).
 */
export async function admitSession(deps: SessionAdmitDeps, request: SessionRequest): Promise<{ principal: Principal; decision: RateLimitDecision }> {
  const workspaceId = request.workspace?.trim();
  const validWorkspace = workspaceId && UUID.test(workspaceId) ? workspaceId : null;
  const grant = await deps.access.useSession(hashToken(request.token), deps.settings.sessionIdleSeconds, validWorkspace);
  if (!grant) throw new DomainError('NOT_SIGNED_IN');
  if (changesState(request.method) && (!request.originAllowed || !tokensMatch(request.csrfToken, grant.csrfToken))) {
    throw new DomainError('CSRF_REJECTED');
  }
  if (!validWorkspace) {
    throw new DomainError('INVALID_REQUEST', {
      details: [{ path: 'X-Hop-Workspace', field: 'X-Hop-Workspace', message: 'header must name the workspace (its id) a signed-in request acts in' }],
    });
  }
  if (!grant.membership) throw new DomainError('NOT_A_MEMBER');
  const { role, plan, rateLimitOverride } = grant.membership;
  const limits = limitsOf(plan, rateLimitOverride);
  const decision = await deps.gate.consume(validWorkspace, limits.requestsPerMinute).catch((err) => {
    deps.onRedisFailure('rate-limit', err);
    return unmeteredDecision(limits.requestsPerMinute);
  });
  return {
    principal: {
      keyId: null,
      user: { id: grant.userId, email: grant.email, role, sessionId: grant.sessionId },
      workspaceId: validWorkspace,
      scopes: [...ROLE_SCOPES[role]],
      plan,
      limits,
    },
    decision,
  };
}
