import type { DataSource } from 'typeorm';
import { queryRows } from '@hop/db';
import type { Logger } from '@hop/telemetry';
import { metrics } from '@hop/telemetry';
import { GONE_REASON, failuresReason, judge, type AttemptResult, type Verdict } from '../domain/attempt';
import type { RetryPolicy } from '../domain/retry-schedule';
import { signingSecrets } from '../domain/subscription';
import type { ReceiverClient } from './receiver-client';

export interface DispatcherOptions {
  db: DataSource;
  client: ReceiverClient;
  logger: Logger;
  retry: RetryPolicy;
  /** Attempts in flight in this instance, all subscriptions together. */
  maxInFlight: number;
  /** Attempts in flight per subscription in this instance: one slow receiver cannot take every slot. */
  perSubscription: number;
  /** A claimed delivery is due again after this long if its outcome was never written (the instance died). */
  leaseMs: number;
  /** How often due deliveries are looked for when nothing woke the dispatcher. */
  pollMs: number;
  /** Deliveries in a row that fail every attempt before the subscription is turned off. */
  disableAfterFailures: number;
}

interface Claimed {
  id: string;
  subscriptionId: string;
  attempts: number;
  body: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

interface Outcome {
  claimed: Claimed;
  result: AttemptResult;
  verdict: Verdict;
}

/**
 * How often the queue table is vacuumed and analysed: each delivery leaves dead rows and dead
 * entries at the front of the due index, and a table that grew from empty keeps plans made for an
 * empty one until it is analysed. Autovacuum may lag or be off; this does not depend on it.
 */
const MAINTENANCE_MS = 30_000;

const attempts = metrics.counter('hop_webhook_attempts_total', 'Webhook delivery attempts', ['outcome']);

/** Postgres text cannot hold NUL; a receiver's body may. */
const storable = (text: string | null) => (text === null ? null : text.replaceAll('\u0000', ''));

/**
 * Delivers what the deliveries table holds: claims due rows (FOR UPDATE SKIP LOCKED, so any
 * number of instances share the work), attempts them, and writes outcomes back in batches. A
 * claim pushes the row's due time past a lease: if the instance dies before writing the outcome,
 * the row comes due again and another (or the restarted) instance delivers it, with the same
 * webhook-id. Ordering is not promised.
 */
export class Dispatcher {
  /** Claimed deliveries per subscription: waiting for a slot, and in flight. */
  private readonly held = new Map<string, { waiting: Claimed[]; inFlight: number }>();
  private heldTotal = 0;
  private inFlightTotal = 0;
  private outcomes: Outcome[] = [];
  private running = false;
  private pumping = false;
  private pumpAgain = false;
  private wakeTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private maintenanceTimer?: NodeJS.Timeout;
  private flushTimer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private idle?: () => void;

  constructor(private readonly options: DispatcherOptions) {}

  start(): void {
    this.running = true;
    this.pollTimer = setInterval(() => this.wake(), this.options.pollMs);
    this.maintenanceTimer = setInterval(() => {
      // SKIP_LOCKED: another instance vacuuming already is enough; a failure only waits for the next round.
      void this.options.db.query('VACUUM (ANALYZE, SKIP_LOCKED) deliveries').catch((err: unknown) => this.options.logger.warn({ err }, 'vacuum of deliveries failed'));
    }, MAINTENANCE_MS);
    this.wake();
  }

  /** Looks for due deliveries now (coalesced: many wake-ups in a moment make one claim). */
  readonly wake = (): void => {
    if (!this.running || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.pump();
    }, 2);
  };

  /** Stops claiming, hands back what waits unattempted, waits for attempts in flight and writes their outcomes. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.pollTimer);
    clearInterval(this.maintenanceTimer);
    clearTimeout(this.wakeTimer);
    const waiting = [...this.held.values()].flatMap((h) => h.waiting.splice(0));
    if (waiting.length) {
      await this.options.db
        .query(`UPDATE deliveries SET next_attempt_at = now(), attempts = attempts - 1 WHERE id = ANY($1::uuid[]) AND state = 'pending'`, [
          waiting.map((c) => c.id),
        ])
        .catch((err: unknown) => this.options.logger.warn({ err }, 'could not hand back claimed deliveries; their leases will lapse'));
    }
    if (this.inFlightTotal > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    clearTimeout(this.flushTimer);
    await this.flush();
  }

  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    this.claimWhileRoom()
      .catch((err: unknown) => this.options.logger.error({ err }, 'claiming webhook deliveries failed'))
      .finally(() => {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.wake();
        }
      });
  }

  /**
   * Claims up to twice the concurrency (per subscription and in all): the extra half waits here
   * for a slot, so claims come in batches instead of one per finished attempt.
   */
  private async claimWhileRoom(): Promise<void> {
    while (this.running) {
      const room = Math.min(2 * this.options.maxInFlight - this.heldTotal, 1_000);
      if (room <= 0) return;
      const claimed = await this.claim(room);
      for (const delivery of claimed) {
        const held = this.held.get(delivery.subscriptionId) ?? { waiting: [], inFlight: 0 };
        held.waiting.push(delivery);
        this.held.set(delivery.subscriptionId, held);
        this.heldTotal++;
      }
      for (const subscriptionId of new Set(claimed.map((c) => c.subscriptionId))) this.drain(subscriptionId);
      if (claimed.length < room) return;
    }
  }

  private async claim(limit: number): Promise<Claimed[]> {
    const busy = [...this.held.entries()].map(([id, h]) => [id, h.waiting.length + h.inFlight] as const);
    const { leaseMs, perSubscription } = this.options;
    return queryRows<Claimed>(
      this.options.db,
      `WITH busy AS (SELECT * FROM unnest($1::uuid[], $2::int[]) AS b(subscription_id, held)),
       due AS (
         -- the due index in order, nothing joined: a join lets the planner scan every due row first.
         -- Deliveries of subscriptions that are off have no due time, so they are not in the way.
         SELECT id, subscription_id, next_attempt_at FROM deliveries
         WHERE state = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $4 * 4),
       ranked AS (
         SELECT id, subscription_id, row_number() OVER (PARTITION BY subscription_id ORDER BY next_attempt_at, id) AS rank FROM due),
       picked AS (
         SELECT r.id FROM ranked r LEFT JOIN busy b USING (subscription_id)
         WHERE r.rank <= 2 * $3 - coalesce(b.held, 0) LIMIT $4),
       -- by primary key from the picked ids (an array, so no plan can start from the subscription's every due row)
       locked AS (
         SELECT d.id FROM deliveries d
         WHERE d.id = ANY (ARRAY(SELECT id FROM picked)) AND d.state = 'pending' AND d.next_attempt_at <= now()
           AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = d.subscription_id AND s.active AND s.deleted_at IS NULL)
         FOR UPDATE OF d SKIP LOCKED)
       UPDATE deliveries d SET next_attempt_at = now() + $5 * interval '1 millisecond', attempts = d.attempts + 1
       FROM locked, subscriptions s
       WHERE d.id = locked.id AND s.id = d.subscription_id
       RETURNING d.id, d.subscription_id AS "subscriptionId", d.attempts, d.body, s.url, s.secret,
         s.previous_secret AS "previousSecret", s.previous_secret_expires_at AS "previousSecretExpiresAt"`,
      [busy.map(([id]) => id), busy.map(([, n]) => n), perSubscription, limit, leaseMs],
    );
  }

  /** Starts waiting deliveries of a subscription while it has free slots. */
  private drain(subscriptionId: string): void {
    const held = this.held.get(subscriptionId);
    while (held && held.waiting.length && held.inFlight < this.options.perSubscription) {
      held.inFlight++;
      this.inFlightTotal++;
      this.attempt(held.waiting.shift()!);
    }
  }

  private attempt(claimed: Claimed): void {
    const send = this.options.client.send({
      url: claimed.url,
      messageId: claimed.id,
      body: claimed.body,
      secrets: signingSecrets(claimed, new Date()),
    });
    // send() never rejects (failures are results); the catch only guards against a bug losing the slot.
    void send
      .then((result) => {
        const verdict = judge(result, claimed.attempts, this.options.retry, new Date(), Math.random());
        attempts.inc({ outcome: verdict.state === 'delivered' ? 'delivered' : 'failed' });
        this.outcomes.push({ claimed, result, verdict });
        this.scheduleFlush();
      })
      .catch((err: unknown) => this.options.logger.error({ err, deliveryId: claimed.id }, 'webhook attempt failed unexpectedly'))
      .finally(() => this.settled(claimed.subscriptionId));
  }

  private settled(subscriptionId: string): void {
    const held = this.held.get(subscriptionId)!;
    held.inFlight--;
    this.inFlightTotal--;
    this.heldTotal--;
    if (this.running) this.drain(subscriptionId);
    if (held.inFlight === 0 && held.waiting.length === 0) this.held.delete(subscriptionId);
    if (this.inFlightTotal === 0) this.idle?.();
    // More is claimed once a subscription has no more than its concurrency held (half of what it may hold).
    if (held.waiting.length + held.inFlight <= this.options.perSubscription) this.wake();
  }

  private scheduleFlush(): void {
    if (this.outcomes.length >= 500) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      void this.flush();
    } else {
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        void this.flush();
      }, 25);
    }
  }

  /** Writes outcomes in one transaction; on failure they stay queued (their leases cover the wait). */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const batch = this.outcomes;
      this.outcomes = [];
      if (!batch.length) return;
      try {
        await this.write(batch);
      } catch (err) {
        this.options.logger.error({ err, count: batch.length }, 'writing webhook outcomes failed; retrying');
        this.outcomes.unshift(...batch);
        this.flushTimer ??= setTimeout(() => {
          this.flushTimer = undefined;
          void this.flush();
        }, 1_000);
      }
    });
    return this.flushing;
  }

  private write(batch: Outcome[]): Promise<void> {
    return this.options.db.transaction(async (manager) => {
      await manager.query(
        // A subscription turned off while the attempt was in flight: the delivery waits without a due time.
        `UPDATE deliveries d SET state = v.state, next_attempt_at = CASE WHEN s.active THEN v.next_attempt_at END,
           last_attempt_at = v.started_at, duration_ms = v.duration_ms, response_status = v.status, response_body = v.body, error = v.error
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[], $6::int[], $7::text[], $8::text[], $9::int[])
           AS v(id, state, next_attempt_at, started_at, duration_ms, status, body, error, attempts), subscriptions s
         WHERE d.id = v.id AND d.attempts = v.attempts AND s.id = d.subscription_id`,
        [
          batch.map((o) => o.claimed.id),
          batch.map((o) => o.verdict.state),
          batch.map((o) => o.verdict.nextAttemptAt),
          batch.map((o) => o.result.startedAt),
          batch.map((o) => o.result.durationMs),
          batch.map((o) => o.result.status),
          batch.map((o) => storable(o.result.body)),
          batch.map((o) => storable(o.result.error)),
          batch.map((o) => o.claimed.attempts),
        ],
      );
      const succeeded = [...new Set(batch.filter((o) => o.verdict.state === 'delivered').map((o) => o.claimed.subscriptionId))];
      if (succeeded.length) {
        await manager.query(`UPDATE subscriptions SET consecutive_failures = 0 WHERE id = ANY($1::uuid[]) AND consecutive_failures <> 0`, [
          succeeded,
        ]);
      }
      const disable = new Map<string, string>();
      const exhausted = batch.filter((o) => o.verdict.exhausted);
      if (exhausted.length) {
        const counts = new Map<string, number>();
        for (const o of exhausted) counts.set(o.claimed.subscriptionId, (counts.get(o.claimed.subscriptionId) ?? 0) + 1);
        const rows: { id: string; failures: number }[] = await manager
          .query(
            `UPDATE subscriptions s SET consecutive_failures = s.consecutive_failures + v.n
             FROM unnest($1::uuid[], $2::int[]) AS v(id, n) WHERE s.id = v.id RETURNING s.id, s.consecutive_failures AS failures`,
            [[...counts.keys()], [...counts.values()]],
          )
          .then((r: unknown[]) => (Array.isArray(r[0]) ? (r[0] as { id: string; failures: number }[]) : (r as { id: string; failures: number }[])));
        for (const row of rows) {
          if (row.failures < this.options.disableAfterFailures) continue;
          const last = exhausted.filter((o) => o.claimed.subscriptionId === row.id).at(-1)!;
          disable.set(row.id, failuresReason(row.failures, last.result));
        }
      }
      for (const o of batch) if (o.verdict.disableReason) disable.set(o.claimed.subscriptionId, GONE_REASON);
      for (const [id, reason] of disable) {
        this.options.logger.warn({ subscriptionId: id, reason }, 'webhook subscription turned off');
        await manager.query(`UPDATE subscriptions SET active = false, disabled_reason = $2, updated_at = now() WHERE id = $1 AND active`, [id, reason]);
        // Paused (no due time) until someone turns the subscription on again.
        await manager.query(`UPDATE deliveries SET next_attempt_at = NULL WHERE subscription_id = $1 AND state = 'pending'`, [id]);
      }
    });
  }
}
