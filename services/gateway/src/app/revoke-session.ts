import { DomainError } from '@hop/errors';
import type { AccessDeps, SessionGrant } from './ports';
import { requireUuid } from './schemas';

/** Signs one of the user's own sessions out (their current one: POST /auth/logout). */
export async function revokeSession(deps: Pick<AccessDeps, 'access'>, grant: SessionGrant, sessionId: string): Promise<void> {
  requireUuid('sessionId', sessionId);
  if (!(await deps.access.revokeSession(grant.userId, sessionId))) {
    throw new DomainError('NOT_FOUND', { details: [{ path: 'sessionId', field: 'sessionId', message: `you have no session ${sessionId}` }] });
  }
}
