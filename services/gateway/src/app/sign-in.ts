import { randomUUID } from 'node:crypto';
import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { validate } from '@hop/http';
import { hashPassword, verifyPassword } from '../domain/password';
import { hashToken, randomToken } from '../domain/session';
import { accessFields } from './access-schemas';
import { describeUser, type Me } from './describe-user';
import type { AccessDeps, AccessTx, Session, User } from './ports';

const schema = Joi.object({ email: accessFields.email.required(), password: accessFields.password.required() });

export interface Client {
  ip: string;
  userAgent: string | null;
}

export interface SignedIn {
  /** The cookie's value: returned once, only its hash is stored. */
  token: string;
  session: Session;
  me: Me;
}

/** Verified against when an email has no account, so an unknown email takes as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

/** Opens a session for a user whose credentials were checked. */
export async function openSession(tx: AccessTx, deps: Pick<AccessDeps, 'settings'>, user: User, client: Client): Promise<SignedIn> {
  const token = randomToken();
  const now = new Date();
  const session: Session = {
    id: randomUUID(),
    userId: user.id,
    csrfToken: randomToken(),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + deps.settings.sessionMaxAgeSeconds * 1000),
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 500) ?? null,
  };
  await tx.insertSession(session, hashToken(token));
  return { token, session, me: await describeUser(tx, user, session.csrfToken) };
}

/**
 * POST /auth/login. Failed attempts are counted per (account, address) and per address
 * (LoginThrottle); a throttled attempt is refused before the password is checked.
 */
export async function signIn(deps: AccessDeps, input: unknown, client: Client): Promise<SignedIn> {
  const { email, password } = validate(schema, input) as { email: string; password: string };
  const accountKey = hashToken(email).slice(0, 32);
  const blockedFor = await deps.throttle.blockedFor(accountKey, client.ip).catch((err) => {
    deps.onRedisFailure('login-throttle', err);
    return 0;
  });
  if (blockedFor > 0) throw new DomainError('RATE_LIMITED', { extra: { retryAfter: blockedFor } });
  const user = await deps.access.findUserByEmail(email);
  const valid = await verifyPassword(password, user?.passwordHash ?? (await (decoyHash ??= hashPassword(randomToken()))));
  if (!user || !valid) {
    await deps.throttle.recordFailure(accountKey, client.ip).catch((err) => deps.onRedisFailure('login-throttle', err));
    throw new DomainError('INVALID_CREDENTIALS');
  }
  await deps.throttle.clear(accountKey, client.ip).catch((err) => deps.onRedisFailure('login-throttle', err));
  return openSession(deps.access, deps, user, client);
}
