import type { Express, Request } from 'express';
import Joi from 'joi';
import { batchLimit, readBatch, sendList, validate } from '@hop/http';
import { deleteLinks } from '../app/delete-links';
import type { LinkDeps } from '../app/ports';
import { present } from '../app/present';
import { listLinks } from '../app/list-links';
import { domainFilterOf } from '../app/place-links';
import { saveLinks, type LinkItem } from '../app/save-links';
import { LinkItemSchemas, deleteItem, listLinksQuery } from './schemas';

/** A batch body of at most min(10,000, the plan's bulk limit) items, each against its own schema. */
const readItems = <T>(req: Request, schemaOf: (item: unknown) => Joi.Schema): T[] =>
  readBatch<T>(req.body, schemaOf, batchLimit(req.context.bulkLimit));

const createItems = new LinkItemSchemas(false);
const upsertItems = new LinkItemSchemas(true);

/** The Links API (Hoko's /api/links). */
export function linkRoutes(app: Express, deps: LinkDeps): void {
  app.get('/api/links', async (req, res) => {
    const q = validate(listLinksQuery, req.query);
    const { links, total } = await listLinks(
      deps,
      req.context.workspaceId,
      {
        ids: q.id,
        externalIds: q.externalId,
        tenantIds: q.tenantId,
        partnerIds: q.partnerId,
        url: q.url === undefined ? undefined : { value: q.url, match: q.match },
        collectionIds: q.collectionId,
        tagIds: q.tagId,
        domain: q.domain === undefined ? undefined : domainFilterOf(deps, q.domain),
      },
      { take: q.take, skip: q.skip, sort: q.sort, orderBy: q.orderBy },
    );
    sendList(res, links.map((link) => present(deps, link)), total);
  });

  app.post('/api/links', async (req, res) => {
    const items = readItems<LinkItem>(req, (item) => createItems.of(item));
    res.status(201).json(await saveLinks(deps, req.context, items));
  });

  app.put('/api/links', async (req, res) => {
    const items = readItems<LinkItem>(req, (item) => upsertItems.of(item));
    res.status(200).json(await saveLinks(deps, req.context, items));
  });

  app.delete('/api/links', async (req, res) => {
    const ids = readItems<string>(req, () => deleteItem);
    res.status(200).json({ deletedIds: await deleteLinks(deps, req.context, ids) });
  });
}
