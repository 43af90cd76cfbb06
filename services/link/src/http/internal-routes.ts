import type { Express } from 'express';
import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { validate } from '@hop/http';
import type { LinkDeps } from '../app/deps';
import { findLink } from '../app/find-link';
import { findRoute } from '../app/find-route';

const shortIdParam = Joi.string().max(64).pattern(/^[A-Za-z0-9_-]+$/);
const linkIdParam = Joi.string().guid().lowercase();

/** Service-to-service lookups (docs/internal-contracts.md). */
export function internalRoutes(app: Express, deps: LinkDeps): void {
  // The redirector's fallback when Redis misses; it knows no workspace, only the short id.
  app.get('/internal/routes/:shortId', async (req, res) => {
    const shortId = validate(shortIdParam, req.params.shortId);
    const route = await findRoute(deps, shortId);
    if (!route) throw new DomainError('NOT_FOUND');
    res.json(route);
  });

  app.get('/internal/links/:linkId', async (req, res) => {
    if (!req.context.workspaceId) throw new DomainError('INTERNAL_PROOF_MISSING');
    const linkId = validate(linkIdParam, req.params.linkId);
    const link = await findLink(deps, req.context.workspaceId, linkId);
    if (!link) throw new DomainError('NOT_FOUND');
    res.json(link);
  });
}
