import { Router, type Express, type Request } from 'express';
import Joi from 'joi';
import { MAX_BATCH, batchLimit, readBatch, sendList, validate, workspaceOf } from '@hop/http';
import type { WebhookEventType } from '../domain/events';
import type { ClickDescriber } from '../domain/payloads';
import type { SubscriptionChanges } from '../domain/subscription';
import { deleteSubscriptions } from '../app/delete-subscriptions';
import { listDeliveries, retryDelivery, sendTestEvent } from '../app/deliveries';
import type { CheckDestination, DeliveryFilter, NewSecret, Page, WakeDispatcher, WebhookAccess } from '../app/ports';
import { getSubscription, listSubscriptions } from '../app/read-subscriptions';
import { rotateSecret } from '../app/rotate-secret';
import { upsertSubscriptions, type Written } from '../app/upsert-subscriptions';
import { uuid, webhookSchemas } from './schemas';
import { deliveryView, subscriptionView } from './views';

export interface WebhookRouteDeps {
  access: WebhookAccess;
  checkDestination: CheckDestination;
  newSecret: NewSecret;
  describe: ClickDescriber;
  wake: WakeDispatcher;
}

/** A path id (a UUID, or 400 naming the parameter). */
function idParam(req: Request, name: string): string {
  return validate<Record<string, string>>(Joi.object({ [name]: uuid.required() }), { [name]: req.params[name] })[name];
}

const writtenView = (w: Written) => subscriptionView(w.subscription, w.created);

/** /api/webhooks: subscriptions (Hoko-style batches), their delivery log, test sends and redeliveries. */
export function webhookRoutes(deps: WebhookRouteDeps): (app: Express) => void {
  const router = Router();

  router.get('/api/webhooks', async (req, res) => {
    const { id, ...page } = validate<Page & { id?: string[] }>(webhookSchemas.list, req.query);
    const { items, total } = await listSubscriptions(deps.access, workspaceOf(req), { ids: id, ...page });
    sendList(res, items.map((s) => subscriptionView(s)), total);
  });

  router.post('/api/webhooks', async (req, res) => {
    const items = readBatch<SubscriptionChanges>(req.body, webhookSchemas.createItem, batchLimit(req.context.bulkLimit));
    res.status(201).json((await upsertSubscriptions(deps, workspaceOf(req), items)).map(writtenView));
  });

  router.put('/api/webhooks', async (req, res) => {
    const items = readBatch<SubscriptionChanges>(req.body, webhookSchemas.upsertItem, batchLimit(req.context.bulkLimit));
    res.status(200).json((await upsertSubscriptions(deps, workspaceOf(req), items)).map(writtenView));
  });

  router.delete('/api/webhooks', async (req, res) => {
    const ids = readBatch<string>(req.body, uuid.required(), MAX_BATCH);
    res.status(200).json({ deletedIds: await deleteSubscriptions(deps.access, workspaceOf(req), ids) });
  });

  router.get('/api/webhooks/:id', async (req, res) => {
    res.json(subscriptionView(await getSubscription(deps.access, workspaceOf(req), idParam(req, 'id'))));
  });

  router.post('/api/webhooks/:id/rotate-secret', async (req, res) => {
    const { graceSeconds } = validate<{ graceSeconds: number }>(webhookSchemas.rotate, req.body ?? {});
    const rotated = await rotateSecret(deps.access, deps.newSecret, workspaceOf(req), idParam(req, 'id'), graceSeconds);
    res.json(subscriptionView(rotated, true));
  });

  router.get('/api/webhooks/:id/deliveries', async (req, res) => {
    const filter = validate<DeliveryFilter>(webhookSchemas.deliveries, req.query);
    const { items, total } = await listDeliveries(deps.access, workspaceOf(req), idParam(req, 'id'), filter);
    sendList(res, items.map(deliveryView), total);
  });

  router.post('/api/webhooks/:id/test', async (req, res) => {
    const { type } = validate<{ type: WebhookEventType }>(webhookSchemas.test, req.body ?? {});
    res.status(202).json(deliveryView(await sendTestEvent(deps, workspaceOf(req), idParam(req, 'id'), type)));
  });

  router.post('/api/webhooks/:id/deliveries/:deliveryId/retry', async (req, res) => {
    const delivery = await retryDelivery(deps, workspaceOf(req), idParam(req, 'id'), idParam(req, 'deliveryId'));
    res.status(202).json(deliveryView(delivery));
  });

  return (app) => {
    app.use(router);
  };
}
