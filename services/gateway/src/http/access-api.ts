import type http from 'node:http';
import { DomainError } from '@hop/errors';
import { sendJsonBody } from '@hop/http';
import { changeMemberRole } from '../app/change-member-role';
import { createApiKey } from '../app/create-api-key';
import { inviteMember } from '../app/invite-member';
import { listApiKeys } from '../app/list-api-keys';
import { listAuditLog } from '../app/list-audit-log';
import { listInvitations } from '../app/list-invitations';
import { listMembers } from '../app/list-members';
import type { AccessDeps, AdminDeps } from '../app/ports';
import { removeMember } from '../app/remove-member';
import { revokeApiKey } from '../app/revoke-api-key';
import { revokeInvitation } from '../app/revoke-invitation';
import { apiKeyView } from '../app/views';
import { callerOf, type Principal } from '../domain/principal';
import type { ApiRoute } from '../domain/routes';
import { auditView, invitationView, memberView } from './access-views';
import { sendShapedError } from './error-shapes';
import { readJsonBody } from './json-body';

const BODY_LIMIT = 100 * 1024;

export type LocalRoute = (req: http.IncomingMessage, res: http.ServerResponse, route: ApiRoute, principal: Principal, ip: string) => Promise<void>;

type Handler = (ctx: {
  req: http.IncomingMessage;
  query: URLSearchParams;
  body: () => Promise<unknown>;
  principal: Principal;
  caller: ReturnType<typeof callerOf>;
}) => Promise<{ status?: number; body?: unknown; total?: number }>;

/**
 * The /api routes the gateway answers itself (the access context: keys, members, invitations,
 * audit log), after the pipeline authenticated the caller, counted the request and checked the
 * route's scope. Ids travel in the query (`?id=`), as Hoko's list routes do.
 */
export function accessApi(deps: AccessDeps & AdminDeps, invitationLink: (req: http.IncomingMessage, token: string) => string): LocalRoute {
  const ws = (p: Principal) => p.workspaceId;
  const handlers: Record<string, Handler> = {
    'GET /api/keys': async ({ principal }) => {
      const keys = await listApiKeys(deps, ws(principal));
      return { body: keys.map(apiKeyView), total: keys.length };
    },
    'POST /api/keys': async ({ principal, caller, body }) => {
      const { apiKey, key } = await createApiKey(deps, ws(principal), await body(), caller);
      return { status: 201, body: { ...apiKeyView(apiKey), key } };
    },
    'DELETE /api/keys': async ({ principal, caller, query }) => {
      const revoked = await revokeApiKey(deps, query.get('id'), { workspaceId: ws(principal), caller });
      return { body: apiKeyView(revoked) };
    },
    'GET /api/members': async ({ principal }) => {
      const members = await listMembers(deps, ws(principal));
      return { body: members.map(memberView), total: members.length };
    },
    'PUT /api/members': async ({ principal, caller, body }) => ({ body: memberView(await changeMemberRole(deps, ws(principal), caller, await body())) }),
    'DELETE /api/members': async ({ principal, caller, query }) => {
      await removeMember(deps, ws(principal), caller, query.get('userId'));
      return { status: 204 };
    },
    'DELETE /api/members/me': async ({ principal, caller }) => {
      await removeMember(deps, ws(principal), caller, 'me');
      return { status: 204 };
    },
    'GET /api/invitations': async ({ principal }) => {
      const invitations = await listInvitations(deps, ws(principal));
      return { body: invitations.map(invitationView), total: invitations.length };
    },
    'POST /api/invitations': async ({ req, principal, caller, body }) => {
      const { invitation, token } = await inviteMember(deps, ws(principal), caller, await body());
      // SMTP delivery is not built in: the inviter passes the link on
      return { status: 201, body: { ...invitationView(invitation), url: invitationLink(req, token), delivery: 'link' } };
    },
    'DELETE /api/invitations': async ({ principal, caller, query }) => ({
      body: invitationView(await revokeInvitation(deps, ws(principal), caller, query.get('id'))),
    }),
    'GET /api/audit-log': async ({ principal, query }) => {
      const { entries, total } = await listAuditLog(deps, ws(principal), Object.fromEntries(query));
      return { body: entries.map(auditView), total };
    },
  };

  return async (req, res, route, principal, ip) => {
    const handler = handlers[`${route.method} ${route.path}`];
    const url = new URL(req.url ?? '/', 'http://gateway');
    try {
      const answer = await handler({ req, query: url.searchParams, body: () => readJsonBody(req, BODY_LIMIT), principal, caller: callerOf(principal, ip) });
      if (answer.total !== undefined) res.setHeader('X-Total-Count', String(answer.total));
      if (answer.status === 204) {
        res.statusCode = 204;
        res.end();
      } else sendJsonBody(res, answer.status ?? 200, answer.body);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.code === 'PAYLOAD_TOO_LARGE') res.setHeader('Connection', 'close');
      sendShapedError(res, 'hoko', err);
    }
  };
}
