import { randomUUID } from 'node:crypto';
import { queryRows } from '@hop/db';
import type { DataSource, EntityManager } from 'typeorm';
import { webhookBody, type WebhookEvent } from '../domain/events';
import type { Subscription } from '../domain/subscription';
import type { Delivery, DeliveryFilter, DeliveryQueue, Page, WebhookAccess, WebhookStore } from '../app/ports';

export const SUBSCRIPTION_COLUMNS = `id, workspace_id AS "workspaceId", name, url, events, collection_ids AS "collectionIds",
  link_ids AS "linkIds", active, disabled_reason AS "disabledReason", secret, previous_secret AS "previousSecret",
  previous_secret_expires_at AS "previousSecretExpiresAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

const DELIVERY_COLUMNS = `id, subscription_id AS "subscriptionId", event_id AS "eventId", event_type AS "eventType", state, attempts,
  last_attempt_at AS "lastAttemptAt", duration_ms AS "durationMs", response_status AS "responseStatus",
  response_body AS "responseBody", error, next_attempt_at AS "nextAttemptAt", created_at AS "createdAt"`;

const LIVE = 'deleted_at IS NULL';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Subscription rows as columns, so any batch is one statement (unnest); arrays travel as JSON. */
const columns = (rows: Subscription[]) => [
  rows.map((r) => r.id),
  rows.map((r) => r.name),
  rows.map((r) => r.url),
  rows.map((r) => JSON.stringify({ events: r.events, collectionIds: r.collectionIds, linkIds: r.linkIds })),
  rows.map((r) => r.active),
  rows.map((r) => r.disabledReason),
  rows.map((r) => r.secret),
  rows.map((r) => r.previousSecret),
  rows.map((r) => r.previousSecretExpiresAt),
  rows.map((r) => r.createdAt),
  rows.map((r) => r.updatedAt),
];
const UNNEST = `unnest($2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::boolean[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[])
  AS v(id, name, url, lists, active, disabled_reason, secret, previous_secret, previous_secret_expires_at, created_at, updated_at)`;
const LISTS = `ARRAY(SELECT jsonb_array_elements_text(v.lists->'events')),
  ARRAY(SELECT jsonb_array_elements_text(v.lists->'collectionIds'))::uuid[],
  ARRAY(SELECT jsonb_array_elements_text(v.lists->'linkIds'))::uuid[]`;

/** Deliveries of events to subscriptions, as rows due now. */
async function insertDeliveries(manager: EntityManager, pairs: { subscription: Subscription; event: WebhookEvent }[]): Promise<Delivery[]> {
  if (!pairs.length) return [];
  return queryRows<Delivery>(
    manager,
    `INSERT INTO deliveries (id, subscription_id, workspace_id, event_id, event_type, occurred_at, body, next_attempt_at)
     SELECT *, now() FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $7::text[])
     ON CONFLICT (subscription_id, event_id) DO NOTHING
     RETURNING ${DELIVERY_COLUMNS}`,
    [
      pairs.map(() => randomUUID()),
      pairs.map((p) => p.subscription.id),
      pairs.map((p) => p.subscription.workspaceId),
      pairs.map((p) => p.event.id),
      pairs.map((p) => p.event.type),
      pairs.map((p) => p.event.occurredAt),
      pairs.map((p) => webhookBody(p.event)),
    ],
  );
}

/** One workspace's subscriptions and deliveries: every statement filters on the workspace id. */
export class WebhookTable implements WebhookStore {
  constructor(
    private readonly manager: EntityManager,
    readonly workspaceId: string,
  ) {
    if (!workspaceId) throw new Error('workspaceId is required');
  }

  list(page: Page & { ids?: string[] }): Promise<{ items: Subscription[]; total: number }> {
    const params: unknown[] = [this.workspaceId];
    let where = `workspace_id = $1 AND ${LIVE}`;
    if (page.ids) {
      params.push(page.ids);
      where += ` AND id = ANY($2::uuid[])`;
    }
    return this.page('subscriptions', SUBSCRIPTION_COLUMNS, where, params, page);
  }

  async lockByIds(ids: string[]): Promise<Subscription[]> {
    if (!ids.length) return [];
    return queryRows<Subscription>(
      this.manager,
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE workspace_id = $1 AND ${LIVE} AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
      [this.workspaceId, ids],
    );
  }

  async insert(rows: Subscription[]): Promise<void> {
    if (!rows.length) return;
    await this.manager.query(
      `INSERT INTO subscriptions (workspace_id, id, name, url, events, collection_ids, link_ids, active, disabled_reason, secret,
         previous_secret, previous_secret_expires_at, created_at, updated_at)
       SELECT $1, v.id, v.name, v.url, ${LISTS}, v.active, v.disabled_reason, v.secret, v.previous_secret,
         v.previous_secret_expires_at, v.created_at, v.updated_at FROM ${UNNEST}`,
      [this.workspaceId, ...columns(rows)],
    );
  }

  async update(rows: Subscription[]): Promise<void> {
    if (!rows.length) return;
    await this.manager.query(
      `UPDATE subscriptions AS t SET name = v.name, url = v.url, (events, collection_ids, link_ids) = (SELECT ${LISTS}),
         active = v.active, disabled_reason = v.disabled_reason, secret = v.secret, previous_secret = v.previous_secret,
         previous_secret_expires_at = v.previous_secret_expires_at, updated_at = v.updated_at,
         consecutive_failures = CASE WHEN v.active AND NOT t.active THEN 0 ELSE t.consecutive_failures END
       FROM ${UNNEST}
       WHERE t.workspace_id = $1 AND t.${LIVE} AND t.id = v.id`,
      [this.workspaceId, ...columns(rows)],
    );
  }

  async setPendingDue(subscriptionIds: string[], due: boolean): Promise<void> {
    if (!subscriptionIds.length) return;
    await this.manager.query(
      `UPDATE deliveries SET next_attempt_at = ${due ? 'now()' : 'NULL'}
       WHERE workspace_id = $1 AND subscription_id = ANY($2::uuid[]) AND state = 'pending'`,
      [this.workspaceId, subscriptionIds],
    );
  }

  async softDelete(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await queryRows<{ id: string }>(
      this.manager,
      `UPDATE subscriptions SET deleted_at = now(), updated_at = now(), active = false
       WHERE workspace_id = $1 AND ${LIVE} AND id = ANY($2::uuid[]) RETURNING id`,
      [this.workspaceId, ids],
    );
    const deleted = rows.map((r) => r.id);
    await this.manager.query(
      `UPDATE deliveries SET state = 'failed', next_attempt_at = NULL, error = 'The webhook was deleted'
       WHERE workspace_id = $1 AND subscription_id = ANY($2::uuid[]) AND state = 'pending'`,
      [this.workspaceId, deleted],
    );
    return deleted;
  }

  deliveries(subscriptionId: string, filter: DeliveryFilter): Promise<{ items: Delivery[]; total: number }> {
    const params: unknown[] = [this.workspaceId, subscriptionId];
    let where = 'workspace_id = $1 AND subscription_id = $2';
    for (const [column, value] of [
      ['state', filter.state],
      ['event_type', filter.eventType],
      ['event_id', filter.eventId],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      where += ` AND ${column} = $${params.length}`;
    }
    return this.page('deliveries', DELIVERY_COLUMNS, where, params, filter);
  }

  /** One page of `table` rows matching `where` (newest first unless asc) and how many match in all. */
  private async page<T>(table: string, select: string, where: string, params: unknown[], page: Page): Promise<{ items: T[]; total: number }> {
    const direction = page.sort === 'asc' ? 'ASC' : 'DESC';
    const [items, [{ total }]] = await Promise.all([
      queryRows<T>(
        this.manager,
        `SELECT ${select} FROM ${table} WHERE ${where} ORDER BY created_at ${direction}, id ${direction}
         LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, page.take, page.skip],
      ),
      queryRows<{ total: number }>(this.manager, `SELECT count(*)::int AS total FROM ${table} WHERE ${where}`, params),
    ]);
    return { items, total };
  }

  async redeliver(subscriptionId: string, deliveryId: string): Promise<Delivery | null> {
    const [row] = await queryRows<Delivery>(
      this.manager,
      `UPDATE deliveries SET state = 'pending', next_attempt_at = now()
       WHERE workspace_id = $1 AND subscription_id = $2 AND id = $3 RETURNING ${DELIVERY_COLUMNS}`,
      [this.workspaceId, subscriptionId, deliveryId],
    );
    return row ?? null;
  }

  enqueue(subscription: Subscription, events: WebhookEvent[]): Promise<Delivery[]> {
    return insertDeliveries(
      this.manager,
      events.map((event) => ({ subscription, event })),
    );
  }
}

export class WebhookTableAccess implements WebhookAccess, DeliveryQueue {
  constructor(private readonly db: DataSource) {}

  read(workspaceId: string): WebhookStore {
    return new WebhookTable(this.db.manager, workspaceId);
  }

  write<T>(workspaceId: string, work: (store: WebhookStore) => Promise<T>): Promise<T> {
    return this.db.transaction((manager) => work(new WebhookTable(manager, workspaceId)));
  }

  activeSubscriptions(workspaceIds: string[]): Promise<Subscription[]> {
    // An event's workspace id is any non-empty string on the wire; only UUIDs can have subscriptions.
    const ids = workspaceIds.filter((id) => UUID.test(id));
    if (!ids.length) return Promise.resolve([]);
    return queryRows<Subscription>(this.db, `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE workspace_id = ANY($1::uuid[]) AND active AND ${LIVE}`, [ids]);
  }

  async enqueue(pairs: { subscription: Subscription; event: WebhookEvent }[]): Promise<number> {
    return (await insertDeliveries(this.db.manager, pairs)).length;
  }
}
