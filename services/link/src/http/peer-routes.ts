import type { Express, NextFunction, Request, Response } from 'express';
import type Joi from 'joi';
import { readContext, verifyInternalRequest } from '@hop/http';
import type { LinkDeps } from '../app/ports';
import { linkQrCodes } from '../app/link-qr-codes';
import { listLinks } from '../app/list-links';
import { toHozipLink, toShortpenLink } from '../domain/peer-formats';
import { hozipQuery, shortpenQuery } from './schemas';

/** The first problem with a query, in words, or the converted query. */
function check<T>(schema: Joi.ObjectSchema<T>, query: unknown): { value: T; problem?: { param: string; message: string } } {
  const result = schema.validate(query, { convert: true });
  if (!result.error) return { value: result.value };
  const [first] = result.error.details;
  return { value: result.value as T, problem: { param: String(first.path[0] ?? 'query'), message: first.message.replace(/"/g, '') } };
}

const shortpenError = (res: Response, status: number, message: string) =>
  res.status(status).json({ success: false, status_code: status, message });

/**
 * Drop-in list endpoints of two peer APIs (migration adapters), over the same links: Shortpen's
 * GET /v1/links and Hozip's GET /api/v1/external/links. The gateway authenticates (Bearer and
 * Token keys) and signs; each answers errors in its own API's envelope.
 */
export function peerRoutes(app: Express, deps: LinkDeps, internalSecret: string): void {
  // /v1 is outside /api, where createApp verifies the gateway's proof: verify it here.
  app.use('/v1', (req: Request, res: Response, next: NextFunction) => {
    if (!verifyInternalRequest(internalSecret, req.method, req.originalUrl, req.headers)) return shortpenError(res, 401, 'Unauthenticated.');
    req.context = readContext(req.headers);
    if (!req.context.workspaceId) return shortpenError(res, 401, 'Unauthenticated.');
    next();
  });

  app.get('/v1/links', async (req, res) => {
    const { value: q, problem } = check(shortpenQuery, req.query);
    if (problem) return shortpenError(res, 400, problem.message);
    const { links, total } = await listLinks(deps, req.context.workspaceId, {}, { take: q.limit, skip: (q.page - 1) * q.limit, sort: 'desc', orderBy: 'createdAt' });
    const qrCodes = q.include_qr ? await linkQrCodes(deps, links) : [];
    const data = links.map((link, i) => toShortpenLink(link, deps.bases, qrCodes[i] ?? null));
    res.json({ success: true, status_code: 200, data, count: data.length, total, page: q.page, message: '' });
  });

  app.get('/api/v1/external/links', async (req, res) => {
    const { value: q, problem } = check(hozipQuery, req.query);
    if (problem) return res.status(400).json({ detail: problem.message, error_code: `invalid_${problem.param}` });
    const filter = q.long_url === undefined ? {} : { url: { value: q.long_url, match: q.match } };
    const { links, total } = await listLinks(deps, req.context.workspaceId, filter, { take: q.limit, skip: q.offset, sort: 'desc', orderBy: 'createdAt' });
    res.json({ offset: q.offset, limit: q.limit, total, results: links.map((link) => toHozipLink(link, deps.bases)) });
  });
}
