import { Router } from 'express';
import Joi from 'joi';
import { MAX_BATCH, batchLimit, listQuery, oneOrMany, readBatch, sendList, validate, workspaceOf } from '@hop/http';
import type { Changes } from '../domain/batch';
import { deleteResources } from '../app/delete-resources';
import { listResources } from '../app/list-resources';
import { lookupResources } from '../app/lookup-resources';
import type { ListOptions } from '../app/ports';
import type { ResourceDefinition } from '../app/resource';
import { upsertResources } from '../app/upsert-resources';
import { uuid } from './schemas';

export interface ResourceRoutes<R extends W, W extends { id: string }> {
  /** Path segment under /api and /internal, e.g. "collections". */
  path: string;
  resource: ResourceDefinition<R, W>;
  /** One item of a POST body (no id). */
  createItem: Joi.ObjectSchema;
  /** One item of a PUT body (id to update, none to create). */
  upsertItem: Joi.ObjectSchema;
  /** The record as the public API shows it. */
  present: (record: R) => Record<string, unknown>;
}

const listSchema = Joi.object({ id: oneOrMany(uuid), ...listQuery });
const lookupSchema = Joi.object({ ids: Joi.array().items(Joi.string().max(100)).max(MAX_BATCH).required() });

/** The documented CRUD routes of one kind of record plus its internal batch lookup. */
export function resourceRouter<R extends W, W extends { id: string }>(spec: ResourceRoutes<R, W>): Router {
  const { path, resource, present } = spec;
  const router = Router();

  router.get(`/api/${path}`, async (req, res) => {
    const { id, ...page } = validate<Omit<ListOptions, 'ids'> & { id?: string[] }>(listSchema, req.query);
    const { items, total } = await listResources(resource, workspaceOf(req), { ids: id, ...page });
    sendList(res, items.map(present), total);
  });

  router.post(`/api/${path}`, async (req, res) => {
    const items = readBatch<Changes<W>>(req.body, spec.createItem, batchLimit(req.context.bulkLimit));
    const created = await upsertResources(resource, workspaceOf(req), items);
    res.status(201).json(created.map(present));
  });

  router.put(`/api/${path}`, async (req, res) => {
    const items = readBatch<Changes<W>>(req.body, spec.upsertItem, batchLimit(req.context.bulkLimit));
    const written = await upsertResources(resource, workspaceOf(req), items);
    res.status(200).json(written.map(present));
  });

  router.delete(`/api/${path}`, async (req, res) => {
    const ids = readBatch<string>(req.body, uuid.required(), MAX_BATCH);
    const deletedIds = await deleteResources(resource, workspaceOf(req), ids);
    res.status(200).json({ deletedIds });
  });

  router.post(`/internal/${path}/lookup`, async (req, res) => {
    const { ids } = validate<{ ids: string[] }>(lookupSchema, req.body);
    res.json({ existing: await lookupResources(resource, workspaceOf(req), ids) });
  });

  return router;
}
