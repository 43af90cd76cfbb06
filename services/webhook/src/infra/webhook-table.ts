import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { preparedRows, queryRows } from '@hop/db';
import { webhookBody, type WebhookEvent } from '../domain/events';
import type { Subscription } from '../domain/subscription';
import type { Delivery, DeliveryFilter, DeliveryQueue, LoggedAttempt, Page, WebhookAccess, WebhookStore } from '../app/ports';
import type { Claimed } from './dispatcher';
import type { SecretBox } from './secret-box';

export const SUBSCRIPTION_COLUMNS = `id, workspace_id AS "workspaceId", name, url, events, collection_ids AS "collectionIds",
  link_ids AS "linkIds", active, disabled_reason AS "disabledReason", secret, previous_secret AS "previousSecret",
  previous_secret_expires_at AS "previousSecretExpiresAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

const DELIVERY_COLUMNS = `id, subscription_id AS "subscriptionId", event_id AS "eventId", event_type AS "eventType", state, attempts,
  last_attempt_at AS "lastAttemptAt", duration_ms AS "durationMs", response_status AS "responseStatus",
  response_body AS "responseBody", error, next_attempt_at AS "nextAttemptAt", created_at AS "createdAt",
  outcome_attempt AS "outcomeAttempt"`;

/**
 * SQL appending to the log the outcomes that deliveries rows `rows` hold and the log may lack
 * (`outcome_attempt`), before something replaces them on the row.
 */
export const logOutcomesOf = (rows: string) =>
  `INSERT INTO delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms, response_status, response_body, error)
   SELECT id, outcome_attempt, workspace_id, last_attempt_at, coalesce(duration_ms, 0), response_status, response_body, error
   FROM ${rows} WHERE outcome_attempt IS NOT NULL
   ON CONFLICT DO NOTHING`;

/** A deliveries row: `outcomeAttempt` names the attempt whose outcome it holds and the log may lack (migration 602). */
type DeliveryRow = Omit<Delivery, 'log'> & { outcomeAttempt: number | null };

const LIVE = 'deleted_at IS NULL';

/** A subscription as read: its secrets opened. */
const opened = (box: SecretBox) => (row: Subscription): Subscription => ({
  ...row,
  secret: box.open(row.secret),
  previousSecret: row.previousSecret === null ? null : box.open(row.previousSecret),
});
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Subscription rows as columns, so any batch is one statement (unnest); arrays travel as JSON; secrets sealed. */
const columns = (rows: Subscription[], box: SecretBox) => [
  rows.map((r) => r.id),
  rows.map((r) => r.name),
  rows.map((r) => r.url),
  rows.map((r) => JSON.stringify({ events: r.events, collectionIds: r.collectionIds, linkIds: r.linkIds })),
  rows.map((r) => r.active),
  rows.map((r) => r.disabledReason),
  rows.map((r) => box.seal(r.secret)),
  rows.map((r) => (r.previousSecret === null ? null : box.seal(r.previousSecret))),
  rows.map((r) => r.previousSecretExpiresAt),
  rows.map((r) => r.createdAt),
  rows.map((r) => r.updatedAt),
];
const UNNEST = `unnest($2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::boolean[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[])
  AS v(id, name, url, lists, active, disabled_reason, secret, previous_secret, previous_secret_expires_at, created_at, updated_at)`;
const LISTS = `ARRAY(SELECT jsonb_array_elements_text(v.lists->'events')),
  ARRAY(SELECT jsonb_array_elements_text(v.lists->'collectionIds'))::uuid[],
  ARRAY(SELECT jsonb_array_elements_text(v.lists->'linkIds'))::uuid[]`;

type Pair = { subscription: Subscription; event: WebhookEvent };

/** Where recorded deliveries can be attempted at once (the dispatcher): slots are reserved first, then handed back. */
export interface Handoff {
  reserve(wanted: Map<string, number>): Map<string, number>;
  adopt(granted: Map<string, number>, claimed: Claimed[]): void;
}

/** Runs the recording INSERT: on the pool as a prepared statement (consumers), or in a transaction (the API). */
type Run = (sql: string, params: unknown[]) => Promise<DeliveryRow[]>;

/** Just recorded: nothing attempted yet. */
const unattempted = ({ outcomeAttempt: _, ...row }: DeliveryRow): Delivery => ({ ...row, log: [] });

/**
 * Deliveries of events to subscriptions, as rows due now; or, for the first `claim.counts` of a
 * subscription, rows claimed already (attempt 1 under a lease, as a claim leaves them), returned
 * with what attempting them needs. `deliveries` are the rows recorded now (a repeated event has
 * one already), whole when `whole`, else their ids only (the consumers need no more).
 */
async function insertDeliveries(
  run: Run,
  pairs: Pair[],
  options: { whole: boolean; claim?: { counts: Map<string, number>; leaseMs: number } },
): Promise<{ deliveries: Delivery[]; claimed: Claimed[] }> {
  if (!pairs.length) return { deliveries: [], claimed: [] };
  const { claim } = options;
  const left = new Map(claim?.counts);
  const claimedHere = pairs.map(({ subscription: { id } }) => {
    const n = left.get(id) ?? 0;
    if (n > 0) left.set(id, n - 1);
    return n > 0;
  });
  const ids = pairs.map(() => randomUUID());
  // before the INSERT: its now() is later, so the lease it sets ends after this
  const leaseEndsAt = Date.now() + (claim?.leaseMs ?? 0);
  // one body per event, however many subscriptions get it
  const bodyOf = new Map<WebhookEvent, string>();
  const bodies = pairs.map(({ event }) => {
    let body = bodyOf.get(event);
    if (body === undefined) bodyOf.set(event, (body = webhookBody(event)));
    return body;
  });
  const result = await run(
    `WITH v AS (
       SELECT * FROM ROWS FROM (unnest($1::uuid[]), unnest($2::uuid[]), unnest($3::uuid[]), unnest($4::text[]), unnest($5::text[]),
         unnest($6::timestamptz[]), json_array_elements($7::json), unnest($8::boolean[]))
         AS v(id, subscription_id, workspace_id, event_id, event_type, occurred_at, body, claimed)),
     recorded AS (
       INSERT INTO deliveries (id, subscription_id, workspace_id, event_id, event_type, occurred_at, attempts, next_attempt_at)
       SELECT v.id, v.subscription_id, v.workspace_id, v.event_id, v.event_type, v.occurred_at,
         CASE WHEN v.claimed THEN 1 ELSE 0 END, CASE WHEN v.claimed THEN now() + $9 * interval '1 millisecond' ELSE now() END
       FROM v
       ON CONFLICT (subscription_id, event_id) DO NOTHING
       RETURNING ${options.whole ? DELIVERY_COLUMNS : 'id'}),
     -- The bodies (JSON texts) came as one JSON array: no escaping in JS, and a json (not jsonb)
     -- element's text is exactly the text it was given. Those of repeated events are not kept twice.
     bodies AS (INSERT INTO delivery_bodies (delivery_id, body) SELECT v.id, v.body::text FROM v JOIN recorded r ON r.id = v.id)
     SELECT * FROM recorded`,
    [
      ids,
      pairs.map((p) => p.subscription.id),
      pairs.map((p) => p.subscription.workspaceId),
      pairs.map((p) => p.event.id),
      pairs.map((p) => p.event.type),
      pairs.map((p) => p.event.occurredAt),
      `[${bodies.join(',')}]`,
      claimedHere,
      claim?.leaseMs ?? 0,
    ],
  );
  const deliveries = result.map(unattempted);
  // Recorded now (not a repeat of an event recorded before) and claimed in the INSERT.
  const index = new Map<string, number>(ids.map((id, i) => [id, i]));
  const claimed = deliveries.flatMap((d) => {
    const i = index.get(d.id)!;
    if (!claimedHere[i]) return [];
    const { subscription } = pairs[i];
    const { url, secret, previousSecret, previousSecretExpiresAt, workspaceId } = subscription;
    return [{ id: d.id, subscriptionId: subscription.id, workspaceId, attempts: 1, body: bodies[i], url, secret, previousSecret, previousSecretExpiresAt, leaseEndsAt }];
  });
  return { deliveries, claimed };
}

/** One workspace's subscriptions and deliveries: every statement filters on the workspace id. */
export class WebhookTable implements WebhookStore {
  constructor(
    private readonly manager: EntityManager,
    private readonly box: SecretBox,
    readonly workspaceId: string,
  ) {
    if (!workspaceId) throw new Error('workspaceId is required');
  }

  async list(page: Page & { ids?: string[] }): Promise<{ items: Subscription[]; total: number }> {
    const params: unknown[] = [this.workspaceId];
    let where = `workspace_id = $1 AND ${LIVE}`;
    if (page.ids) {
      params.push(page.ids);
      where += ` AND id = ANY($2::uuid[])`;
    }
    const { items, total } = await this.page<Subscription>('subscriptions', SUBSCRIPTION_COLUMNS, where, params, page);
    return { items: items.map(opened(this.box)), total };
  }

  async lockByIds(ids: string[]): Promise<Subscription[]> {
    if (!ids.length) return [];
    const rows: Subscription[] = await this.manager.query(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE workspace_id = $1 AND ${LIVE} AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
      [this.workspaceId, ids],
    );
    return rows.map(opened(this.box));
  }

  async insert(rows: Subscription[]): Promise<void> {
    if (!rows.length) return;
    await this.manager.query(
      `INSERT INTO subscriptions (workspace_id, id, name, url, events, collection_ids, link_ids, active, disabled_reason, secret,
         previous_secret, previous_secret_expires_at, created_at, updated_at)
       SELECT $1, v.id, v.name, v.url, ${LISTS}, v.active, v.disabled_reason, v.secret, v.previous_secret,
         v.previous_secret_expires_at, v.created_at, v.updated_at FROM ${UNNEST}`,
      [this.workspaceId, ...columns(rows, this.box)],
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
      [this.workspaceId, ...columns(rows, this.box)],
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
    const result = await queryRows<{ id: string }>(
      this.manager,
      `UPDATE subscriptions SET deleted_at = now(), updated_at = now(), active = false
       WHERE workspace_id = $1 AND ${LIVE} AND id = ANY($2::uuid[]) RETURNING id`,
      [this.workspaceId, ids],
    );
    const deleted = result.map((r) => r.id);
    await this.manager.query(
      // This error replaces the last attempt's on the rows: their outcomes go to the log first.
      `WITH pending AS (
         SELECT * FROM deliveries WHERE workspace_id = $1 AND subscription_id = ANY($2::uuid[]) AND state = 'pending' FOR UPDATE),
       logged AS (${logOutcomesOf('pending')})
       UPDATE deliveries d SET state = 'failed', next_attempt_at = NULL, error = 'The webhook was deleted', outcome_attempt = NULL
       FROM pending WHERE d.id = pending.id`,
      [this.workspaceId, deleted],
    );
    return deleted;
  }

  async deliveries(subscriptionId: string, filter: DeliveryFilter): Promise<{ items: Delivery[]; total: number }> {
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
    const { items, total } = await this.page<DeliveryRow>('deliveries', DELIVERY_COLUMNS, where, params, filter);
    return { items: await this.withLog(items), total };
  }

  /**
   * The deliveries with every attempt (one query for them all): the log table's, and the outcome
   * the row holds when the log lacks it (a delivery's latest attempt is only logged on its row
   * until a later one replaces it).
   */
  private async withLog(rows: DeliveryRow[]): Promise<Delivery[]> {
    if (!rows.length) return [];
    const logged: (LoggedAttempt & { deliveryId: string })[] = await this.manager.query(
      `SELECT delivery_id AS "deliveryId", attempt, started_at AS "startedAt", duration_ms AS "durationMs",
         response_status AS "responseStatus", response_body AS "responseBody", error
       FROM delivery_attempts WHERE workspace_id = $1 AND delivery_id = ANY($2::uuid[]) ORDER BY attempt`,
      [this.workspaceId, rows.map((d) => d.id)],
    );
    const logs = new Map<string, LoggedAttempt[]>();
    for (const { deliveryId, ...attempt } of logged) logs.set(deliveryId, [...(logs.get(deliveryId) ?? []), attempt]);
    return rows.map(({ outcomeAttempt, ...row }) => {
      const log = logs.get(row.id) ?? [];
      if (outcomeAttempt !== null && row.lastAttemptAt && !log.some((a) => a.attempt === outcomeAttempt)) {
        const { lastAttemptAt: startedAt, durationMs, responseStatus, responseBody, error } = row;
        log.push({ attempt: outcomeAttempt, startedAt, durationMs: durationMs ?? 0, responseStatus, responseBody, error });
        log.sort((a, b) => a.attempt - b.attempt);
      }
      return { ...row, log };
    });
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
    const result = await queryRows<DeliveryRow>(
      this.manager,
      `UPDATE deliveries SET state = 'pending', next_attempt_at = now()
       WHERE workspace_id = $1 AND subscription_id = $2 AND id = $3 RETURNING ${DELIVERY_COLUMNS}`,
      [this.workspaceId, subscriptionId, deliveryId],
    );
    const [delivery] = await this.withLog(result);
    return delivery ?? null;
  }

  async enqueue(subscription: Subscription, events: WebhookEvent[]): Promise<Delivery[]> {
    const pairs = events.map((event) => ({ subscription, event }));
    return (await insertDeliveries((sql, params) => queryRows(this.manager, sql, params), pairs, { whole: true })).deliveries;
  }
}

export class WebhookTableAccess implements WebhookAccess, DeliveryQueue {
  /** `handoff`: consumed events' deliveries are claimed as they are recorded, as far as it has room. */
  constructor(
    private readonly db: DataSource,
    private readonly box: SecretBox,
    private readonly handoff?: { to: Handoff; leaseMs: number },
  ) {}

  read(workspaceId: string): WebhookStore {
    return new WebhookTable(this.db.manager, this.box, workspaceId);
  }

  write<T>(workspaceId: string, work: (store: WebhookStore) => Promise<T>): Promise<T> {
    return this.db.transaction((manager) => work(new WebhookTable(manager, this.box, workspaceId)));
  }

  async activeSubscriptions(workspaceIds: string[]): Promise<Subscription[]> {
    // An event's workspace id is any non-empty string on the wire; only UUIDs can have subscriptions.
    const ids = workspaceIds.filter((id) => UUID.test(id));
    if (!ids.length) return [];
    // once per consumed batch: prepared
    const rows = await preparedRows<Subscription>(
      this.db,
      'webhook-active-subscriptions',
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE workspace_id = ANY($1::uuid[]) AND active AND ${LIVE}`,
      [ids],
    );
    return rows.map(opened(this.box));
  }

  /**
   * Seals again every stored secret that is not sealed with the current key: plaintext from before
   * encryption, or a previous key's. In batches, each its own transaction; rows another instance
   * is resealing are skipped (it finishes them). Returns how many subscriptions were resealed.
   */
  async resealSecrets(): Promise<number> {
    const stale = `(secret NOT LIKE $1 || '%' OR previous_secret NOT LIKE $1 || '%')`;
    let total = 0;
    for (;;) {
      const done = await this.db.transaction(async (manager) => {
        const rows: { id: string; secret: string; previousSecret: string | null }[] = await manager.query(
          `SELECT id, secret, previous_secret AS "previousSecret" FROM subscriptions WHERE ${stale} LIMIT 500 FOR UPDATE SKIP LOCKED`,
          [this.box.currentPrefix],
        );
        if (!rows.length) return 0;
        await manager.query(
          `UPDATE subscriptions s SET secret = v.secret, previous_secret = v.previous_secret
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, secret, previous_secret) WHERE s.id = v.id`,
          [
            rows.map((r) => r.id),
            rows.map((r) => this.box.seal(this.box.open(r.secret))),
            rows.map((r) => (r.previousSecret === null ? null : this.box.seal(this.box.open(r.previousSecret)))),
          ],
        );
        return rows.length;
      });
      total += done;
      if (!done) return total;
    }
  }

  /** The consumers' INSERT: a prepared statement (one per batch consumed, the same text every time). */
  private readonly record: Run = (sql, params) => preparedRows(this.db, 'webhook-record-deliveries', sql, params);

  async enqueue(pairs: Pair[]): Promise<{ recorded: number; waiting: number }> {
    if (!this.handoff) {
      const recorded = (await insertDeliveries(this.record, pairs, { whole: false })).deliveries.length;
      return { recorded, waiting: recorded };
    }
    const wanted = new Map<string, number>();
    for (const { subscription } of pairs) wanted.set(subscription.id, (wanted.get(subscription.id) ?? 0) + 1);
    const granted = this.handoff.to.reserve(wanted);
    let claimed: Claimed[] = [];
    try {
      const recorded = await insertDeliveries(this.record, pairs, { whole: false, claim: { counts: granted, leaseMs: this.handoff.leaseMs } });
      claimed = recorded.claimed;
      return { recorded: recorded.deliveries.length, waiting: recorded.deliveries.length - claimed.length };
    } finally {
      this.handoff.to.adopt(granted, claimed);
    }
  }
}
