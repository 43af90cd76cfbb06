import { DomainError } from '@hop/errors';
import { hashToken } from '../domain/session';
import type { AccessDeps, SessionGrant } from './ports';

/** The valid session a cookie names (refreshing its idle timer), for the /auth routes; 401 otherwise. */
export async function currentSession(deps: Pick<AccessDeps, 'access' | 'settings'>, token: string | null): Promise<SessionGrant> {
  const grant = token ? await deps.access.useSession(hashToken(token), deps.settings.sessionIdleSeconds, null) : null;
  if (!grant) throw new DomainError('NOT_SIGNED_IN');
  return grant;
}
