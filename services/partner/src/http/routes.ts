import { Router, type Express } from 'express';
import Joi from 'joi';
import { MAX_BATCH, batchLimit, listQuery, oneOrMany, readBatch, sendList, validate, workspaceOf } from '@hop/http';
import type { PartnerChanges } from '../domain/partner';
import { deletePartners } from '../app/delete-partners';
import { listPartners } from '../app/list-partners';
import { lookupPartners } from '../app/lookup-partners';
import type { ListOptions, PartnerAccess } from '../app/ports';
import { upsertPartners } from '../app/upsert-partners';
import { partnerSchemas, uuid } from './schemas';
import { partnerView } from './views';

const listSchema = Joi.object({ id: oneOrMany(uuid), ...listQuery });
const lookupSchema = Joi.object({ ids: Joi.array().items(Joi.string().max(100)).max(MAX_BATCH).required() });

/** The documented /api/partners routes plus the internal batch lookup. */
export function partnerRoutes(access: PartnerAccess): (app: Express) => void {
  const router = Router();

  router.get('/api/partners', async (req, res) => {
    const { id, ...page } = validate<Omit<ListOptions, 'ids'> & { id?: string[] }>(listSchema, req.query);
    const { items, total } = await listPartners(access, workspaceOf(req), { ids: id, ...page });
    sendList(res, items.map(partnerView), total);
  });

  router.post('/api/partners', async (req, res) => {
    const items = readBatch<PartnerChanges>(req.body, partnerSchemas.createItem, batchLimit(req.context.bulkLimit));
    const created = await upsertPartners(access, workspaceOf(req), items);
    res.status(201).json(created.map(partnerView));
  });

  router.put('/api/partners', async (req, res) => {
    const items = readBatch<PartnerChanges>(req.body, partnerSchemas.upsertItem, batchLimit(req.context.bulkLimit));
    const written = await upsertPartners(access, workspaceOf(req), items);
    res.status(200).json(written.map(partnerView));
  });

  router.delete('/api/partners', async (req, res) => {
    const ids = readBatch<string>(req.body, uuid.required(), MAX_BATCH);
    res.status(200).json({ deletedIds: await deletePartners(access, workspaceOf(req), ids) });
  });

  router.post('/internal/partners/lookup', async (req, res) => {
    const { ids } = validate<{ ids: string[] }>(lookupSchema, req.body);
    res.json({ existing: await lookupPartners(access, workspaceOf(req), ids) });
  });

  return (app) => {
    app.use(router);
  };
}
