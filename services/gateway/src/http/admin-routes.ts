import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { DomainError } from '@hop/errors';
import { createApiKey } from '../app/create-api-key';
import { createWorkspace } from '../app/create-workspace';
import { listApiKeys } from '../app/list-api-keys';
import { listWorkspaces } from '../app/list-workspaces';
import type { AdminDeps } from '../app/ports';
import { revokeApiKey } from '../app/revoke-api-key';
import { updateWorkspace } from '../app/update-workspace';
import { verifyDomainWithoutDns } from '../app/verify-domain-without-dns';
import { apiKeyView, workspaceView } from '../app/views';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
function requireAdminToken(token: string) {
  const expected = digest(token);
  return (req: Request, _res: Response, next: NextFunction) => {
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!given || !timingSafeEqual(digest(given), expected)) return next(new DomainError('ADMIN_TOKEN_INVALID'));
    next();
  };
}

/** The administration API (/admin/*), the HTTP twin of `pnpm hop`: same use cases, same validation. */
export function adminRoutes(deps: AdminDeps, adminToken: string): Router {
  const router = express.Router();
  router.use(requireAdminToken(adminToken));
  router.use(express.json({ limit: '100kb' }));
  // a JSON object or nothing (express.json() above); the use cases validate what is in it
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

  router.post('/workspaces', async (req, res) => {
    res.status(201).json(workspaceView(await createWorkspace(deps, body(req))));
  });
  router.get('/workspaces', async (_req, res) => {
    res.json((await listWorkspaces(deps)).map(workspaceView));
  });
  router.patch('/workspaces/:workspaceId', async (req, res) => {
    res.json(workspaceView(await updateWorkspace(deps, req.params.workspaceId, body(req))));
  });
  router.post('/workspaces/:workspaceId/keys', async (req, res) => {
    const { apiKey, key } = await createApiKey(deps, req.params.workspaceId, body(req));
    res.status(201).json({ ...apiKeyView(apiKey), key });
  });
  router.get('/workspaces/:workspaceId/keys', async (req, res) => {
    res.json((await listApiKeys(deps, req.params.workspaceId)).map(apiKeyView));
  });
  // Body: {"name": "go.example.com"}; marks it verified without DNS (the link service answers).
  router.post('/workspaces/:workspaceId/domains/verify', async (req, res) => {
    const given = body(req).name;
    const name = typeof given === 'string' ? given : '';
    if (!name) throw new DomainError('INVALID_REQUEST', { details: [{ path: 'name', message: '"name" is required' }] });
    const answer = await verifyDomainWithoutDns(deps, req.params.workspaceId, name);
    res.status(answer.status).json(answer.body);
  });
  router.post('/keys/:keyId/revoke', async (req, res) => {
    res.json(apiKeyView(await revokeApiKey(deps, req.params.keyId)));
  });
  return router;
}
