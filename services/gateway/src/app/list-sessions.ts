import type { AccessDeps, Session, SessionGrant } from './ports';

/** The user's valid sessions, newest first, the current one flagged. */
export async function listSessions(deps: Pick<AccessDeps, 'access' | 'settings'>, grant: SessionGrant): Promise<(Session & { current: boolean })[]> {
  const sessions = await deps.access.sessionsOf(grant.userId, deps.settings.sessionIdleSeconds);
  return sessions.map((s) => ({ ...s, current: s.id === grant.sessionId }));
}
