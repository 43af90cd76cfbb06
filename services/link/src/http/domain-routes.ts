import type { Express, Request } from 'express';
import type Joi from 'joi';
import { batchLimit, readBatch, sendList, validate } from '@hop/http';
import { deleteDomains } from '../app/delete-domains';
import type { LinkDeps } from '../app/ports';
import { listDomains } from '../app/list-domains';
import { saveDomains, type DomainItem } from '../app/save-domains';
import { verifyDomain } from '../app/verify-domains';
import { normalizeDomainName } from '../domain/domain-name';
import { deleteItem, domainIdParam, domainItemSchemas, listDomainsQuery } from './schemas';

const readItems = <T>(req: Request, schema: Joi.Schema): T[] => readBatch<T>(req.body, () => schema, batchLimit(req.context.bulkLimit));

/** The Domains API (Hop's addition, /api/domains): branded domains of the workspace. */
export function domainRoutes(app: Express, deps: LinkDeps): void {
  const items = domainItemSchemas(deps.ownHosts);

  app.get('/api/domains', async (req, res) => {
    const q = validate(listDomainsQuery, req.query);
    // A name that is no valid hostname matches nothing rather than failing the listing.
    const names = q.name?.map((name: string) => {
      const checked = normalizeDomainName(name, []);
      return 'name' in checked ? checked.name : name;
    });
    const { domains, total } = await listDomains(deps, req.context.workspaceId, { names, statuses: q.status }, { take: q.take, skip: q.skip, sort: q.sort });
    sendList(res, domains, total);
  });
  app.post('/api/domains', async (req, res) => {
    res.status(201).json(await saveDomains(deps, req.context, readItems<DomainItem>(req, items.create)));
  });
  app.put('/api/domains', async (req, res) => {
    res.status(200).json(await saveDomains(deps, req.context, readItems<DomainItem>(req, items.upsert)));
  });
  app.delete('/api/domains', async (req, res) => {
    res.status(200).json({ deletedIds: await deleteDomains(deps, req.context, readItems<string>(req, deleteItem)) });
  });
  app.post('/api/domains/:id/verify', async (req, res) => {
    res.status(200).json(await verifyDomain(deps, req.context.workspaceId, validate(domainIdParam, req.params.id)));
  });
}
