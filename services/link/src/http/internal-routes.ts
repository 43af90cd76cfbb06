import type { Express } from 'express';
import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { validate } from '@hop/http';
import type { LinkDeps } from '../app/ports';
import { findLink } from '../app/find-link';
import { findRoute } from '../app/find-route';
import { listLinkCollections } from '../app/list-link-collections';
import { findServedDomain } from '../app/list-domains';
import { verifyWithoutDns } from '../app/verify-domains';

const shortIdParam = Joi.string().max(64).pattern(/^[A-Za-z0-9_-]+$/);
const linkIdParam = Joi.string().guid().lowercase();
const hostname = Joi.string().max(253).lowercase().pattern(/^[a-z0-9.-]+$/);
const routeQuery = Joi.object<{ domain?: string }>({ domain: hostname });
const collectionsPageQuery = Joi.object<{ after?: string; limit: number }>({ after: linkIdParam, limit: Joi.number().integer().min(1).max(5_000).default(1_000) });
const operatorVerification = Joi.object<{ workspaceId: string; name: string }>({ workspaceId: linkIdParam.required(), name: Joi.string().max(300).required() });

/** Service-to-service lookups (docs/internal-contracts.md). */
export function internalRoutes(app: Express, deps: LinkDeps): void {
  // The redirector's fallback when Redis misses; it knows no workspace, only the host (?domain=, absent
  // on the default domain) and the key.
  app.get('/internal/routes/:shortId', async (req, res) => {
    const key = validate<string>(shortIdParam, req.params.shortId);
    const { domain } = validate(routeQuery, req.query);
    const route = await findRoute(deps, { domain: domain ?? null, key });
    if (!route) throw new DomainError('NOT_FOUND');
    res.json(route);
  });
  // The redirector's fallback for hosts: a verified domain's record, else 404 (not served).
  app.get('/internal/domains/:name', async (req, res) => {
    const record = await findServedDomain(deps, validate<string>(hostname.required(), req.params.name));
    if (!record) throw new DomainError('NOT_FOUND');
    res.json(record);
  });
  // The operator's `pnpm hop domain verify … --without-dns` and POST /admin/domains/verify (gateway).
  app.post('/internal/domains/verify-without-dns', async (req, res) => {
    const { workspaceId, name } = validate(operatorVerification, req.body);
    res.json(await verifyWithoutDns(deps, workspaceId, name));
  });

  // The analytics service's backfill of links' collections after an upgrade: every workspace, so no workspace header.
  app.get('/internal/link-collections', async (req, res) => {
    const { after, limit } = validate(collectionsPageQuery, req.query);
    res.json(await listLinkCollections(deps, after ?? null, limit));
  });

  app.get('/internal/links/:linkId', async (req, res) => {
    if (!req.context.workspaceId) throw new DomainError('INTERNAL_PROOF_MISSING');
    const linkId = validate(linkIdParam, req.params.linkId);
    const link = await findLink(deps, req.context.workspaceId, linkId);
    if (!link) throw new DomainError('NOT_FOUND');
    res.json(link);
  });
}
