import type { Express, Request } from 'express';
import Joi from 'joi';
import { DomainError, itemDetail, type ErrorDetail } from '@hop/errors';
import { batchOf, sendList, validate } from '@hop/http';
import { deleteLinks } from '../app/delete-links';
import { present, type LinkDeps } from '../app/deps';
import { listLinks } from '../app/list-links';
import { saveLinks, type LinkItem } from '../app/save-links';
import { LinkItemSchemas, MAX_BATCH, deleteItem, listLinksQuery } from './schemas';

/**
 * A batch body: a non-empty array of at most min(10,000, the plan's bulk limit) items, each valid
 * against its schema; every problem is reported, naming item index and field.
 */
function readBatch<T>(req: Request, schemaOf: (item: unknown) => Joi.Schema): T[] {
  const max = Math.min(MAX_BATCH, req.context.bulkLimit);
  const body: unknown = req.body;
  if (!Array.isArray(body) || body.length === 0) validate(batchOf(Joi.any(), max), body ?? undefined);
  const items = body as unknown[];
  if (items.length > max) throw new DomainError('BATCH_TOO_LARGE', { params: { max } });
  const details: ErrorDetail[] = [];
  const values = items.map((item, index) => {
    const { error, value } = schemaOf(item).validate(item, { abortEarly: false, convert: true });
    for (const d of error?.details ?? []) details.push(itemDetail(index, d.path.join('.'), d.message.replace(/^"[^"]*" /, '')));
    return value as T;
  });
  if (details.length) throw new DomainError('INVALID_REQUEST', { details });
  return values;
}

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
      },
      { take: q.take, skip: q.skip, sort: q.sort },
    );
    sendList(res, links.map((link) => present(deps, link)), total);
  });

  app.post('/api/links', async (req, res) => {
    const items = readBatch<LinkItem>(req, (item) => createItems.of(item));
    res.status(201).json(await saveLinks(deps, req.context, items));
  });

  app.put('/api/links', async (req, res) => {
    const items = readBatch<LinkItem>(req, (item) => upsertItems.of(item));
    res.status(200).json(await saveLinks(deps, req.context, items));
  });

  app.delete('/api/links', async (req, res) => {
    const ids = readBatch<string>(req, () => deleteItem);
    res.status(200).json({ deletedIds: await deleteLinks(deps, req.context, ids) });
  });
}
