import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { DomainError } from '@hop/errors';
import { acceptInvitation } from '../app/accept-invitation';
import { changePassword } from '../app/change-password';
import { currentSession } from '../app/current-session';
import { describeUser } from '../app/describe-user';
import { listSessions } from '../app/list-sessions';
import type { AccessDeps, SessionGrant } from '../app/ports';
import { revokeSession } from '../app/revoke-session';
import { signIn, type SignedIn } from '../app/sign-in';
import { changesState, tokensMatch } from '../domain/session';
import { sessionView } from './access-views';
import type { ClientAddress } from './client-address';
import { clearedSessionCookie, readSessionCookie, sessionCookie, type CookiePolicy } from './session-cookie';

export interface AuthHttp {
  clientAddress: ClientAddress;
  cookies: CookiePolicy;
  originAllowed: (req: Request) => boolean;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express types its Request by namespace merging
  namespace Express {
    interface Request {
      /** Set by requireSession on the signed-in /auth routes. */
      session?: SessionGrant;
    }
  }
}

/**
 * /auth/*: sign-in, sign-out, the signed-in user, their sessions, password change and accepting
 * an invitation. Session cookie per session-cookie.ts; every state-changing request with a
 * session needs its CSRF token (X-CSRF-Token), and none may come from a foreign Origin.
 */
export function authRoutes(deps: AccessDeps, http: AuthHttp): Router {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));
  const client = (req: Request) => ({ ip: http.clientAddress(req), userAgent: req.headers['user-agent'] ?? null });
  // a JSON object or nothing (express.json() above); the use cases validate what is in it
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

  router.use((req, _res, next) => {
    if (changesState(req.method) && !http.originAllowed(req)) return next(new DomainError('CSRF_REJECTED'));
    next();
  });

  const requireSession = async (req: Request, _res: Response, next: NextFunction) => {
    const grant = await currentSession(deps, readSessionCookie(req.headers.cookie));
    if (changesState(req.method) && !tokensMatch(req.get('x-csrf-token'), grant.csrfToken)) throw new DomainError('CSRF_REJECTED');
    req.session = grant;
    next();
  };
  const grantOf = (req: Request): SessionGrant => {
    if (!req.session) throw new DomainError('NOT_SIGNED_IN');
    return req.session;
  };

  const signedIn = (req: Request, res: Response, outcome: SignedIn, status = 200) => {
    res.setHeader('Set-Cookie', sessionCookie(http.cookies, req, outcome.token, deps.settings.sessionMaxAgeSeconds));
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).json(outcome.me);
  };

  router.post('/login', async (req, res) => {
    try {
      signedIn(req, res, await signIn(deps, body(req), client(req)));
    } catch (err) {
      const retryAfter = err instanceof DomainError ? err.options.extra?.retryAfter : undefined;
      if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
      throw err;
    }
  });

  router.post('/invitations/accept', async (req, res) => {
    signedIn(req, res, await acceptInvitation(deps, body(req), client(req)));
  });

  router.post('/logout', requireSession, async (req, res) => {
    const grant = grantOf(req);
    await revokeSession(deps, grant, grant.sessionId);
    res.setHeader('Set-Cookie', clearedSessionCookie(http.cookies, req));
    res.status(204).end();
  });

  router.get('/me', requireSession, async (req, res) => {
    const grant = grantOf(req);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await describeUser(deps.access, { id: grant.userId, email: grant.email }, grant.csrfToken));
  });

  router.get('/sessions', requireSession, async (req, res) => {
    const sessions = await listSessions(deps, grantOf(req));
    res.setHeader('X-Total-Count', String(sessions.length));
    res.json(sessions.map(sessionView));
  });

  router.delete('/sessions/:sessionId', requireSession, async (req, res) => {
    await revokeSession(deps, grantOf(req), String(req.params.sessionId));
    res.status(204).end();
  });

  router.post('/password', requireSession, async (req, res) => {
    signedIn(req, res, await changePassword(deps, grantOf(req), body(req), client(req)));
  });

  return router;
}
