import type { DataSource, EntityManager } from 'typeorm';
import { preparedRows, queryRows } from '@hop/db';
import type { Logger } from '@hop/telemetry';
import { metrics } from '@hop/telemetry';
import { GONE_REASON, failuresReason, judge, type AttemptResult, type Verdict } from '../domain/attempt';
import type { RetryPolicy } from '../domain/retry-schedule';
import { signingSecrets } from '../domain/subscription';
import type { ReceiverClient } from './receiver-client';
import { CLAIM_COLUMNS } from './migrations';
import type { SecretBox } from './secret-box';
import { logOutcomesOf } from './webhook-table';

export interface DispatcherOptions {
  db: DataSource;
  client: ReceiverClient;
  /** Opens the subscriptions' signing secrets (sealed at rest). */
  secrets: SecretBox;
  logger: Logger;
  retry: RetryPolicy;
  /** Attempts in flight in this instance, all subscriptions together. */
  maxInFlight: number;
  /** Attempts in flight per subscription in this instance: one slow receiver cannot take every slot. */
  perSubscription: number;
  /** Bound of one attempt (the receiver client's timeout): leases are made of it. */
  attemptTimeoutMs: number;
  /** How often due deliveries are looked for when nothing woke the dispatcher. */
  pollMs: number;
  /** Deliveries in a row that fail every attempt before the subscription is turned off. */
  disableAfterFailures: number;
  /** Finished deliveries and their attempts are deleted this many days after they were recorded. */
  retentionDays: number;
}

/** A delivery this instance took on (its due time pushed past a lease): what an attempt needs. */
export interface Claimed {
  id: string;
  subscriptionId: string;
  workspaceId: string;
  /** This attempt's number (the claim counted it). */
  attempts: number;
  body: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  /** When its lease ends at the latest (this process's clock, taken before the claim): it is not attempted past it. */
  leaseEndsAt: number;
}

interface Outcome {
  claimed: Claimed;
  result: AttemptResult;
  verdict: Verdict;
}

/** Claimed deliveries of one subscription: waiting for a slot, in flight, and being recorded (reserved). */
interface Held {
  waiting: Claimed[];
  inFlight: number;
  reserved: number;
}

/**
 * Rounds of its concurrency a subscription may have claimed in this instance at least: attempts in
 * flight and as many again seven times waiting for a slot here. A deep local queue makes claims big
 * (one query per few hundred deliveries, not per few dozen) and lets the INSERT that records
 * consumed events claim them; the lease covers every round ahead of the last one waiting.
 */
const HOLD_ROUNDS = 8;

/**
 * A subscription whose receiver keeps up holds more: up to this many seconds of what this instance
 * delivers to it per second, and at most HOLD_MAX_ROUNDS of its concurrency. Bigger holds make
 * bigger claims, and more deliveries are claimed by the INSERT that records them (one row version,
 * no claim). The lease still covers HOLD_ROUNDS only: what would wait here past its lease is
 * handed back unattempted (a receiver that slows down, or stops answering, with a full hold).
 */
const HOLD_SECONDS = 2;
const HOLD_MAX_ROUNDS = 32;

/** How often delivery rates are measured and leases about to lapse are handed back. */
const PACE_MS = 1_000;

const BACKLOG_ANALYZE_MS = 10_000;

const FLUSH_MS = 100;
const OUTCOMES_PER_FLUSH = 1_000;

/** Finished deliveries deleted per maintenance round, at most (the next round goes on). */
const RETENTION_BATCH = 10_000;

/**
 * How often the queue table is vacuumed and analysed: each delivery leaves dead rows and dead
 * entries at the front of the due index, and a table that grew from empty keeps plans made for an
 * empty one until it is analysed. Autovacuum may lag or be off; this does not depend on it.
 */
const MAINTENANCE_MS = 30_000;

const attempts = metrics.counter('hop_webhook_attempts_total', 'Webhook delivery attempts', ['outcome']);
const released = metrics.counter(
  'hop_webhook_released_total',
  'Claimed webhook deliveries handed back unattempted: at a graceful stop, or before their lease would lapse',
  ['reason'],
);

/** Postgres text cannot hold NUL; a receiver's body may. */
const storable = (text: string | null) => (text === null ? null : text.replaceAll('\u0000', ''));

/**
 * Claims due deliveries: $1/$2 the room of each subscription held here (others get $3), $4 the
 * claim's limit, $5 the lease in ms. Their due time moves past the lease and their attempt is counted.
 */
export const CLAIM_DUE = `WITH RECURSIVE rooms AS (SELECT * FROM unnest($1::uuid[], $2::int[]) AS r(subscription_id, room)),
   -- The subscriptions with pending deliveries: one probe each of deliveries_due_by_subscription (a skip scan).
   pending (subscription_id) AS (
     (SELECT subscription_id FROM deliveries WHERE state = 'pending' ORDER BY subscription_id LIMIT 1)
     UNION ALL
     SELECT (SELECT d.subscription_id FROM deliveries d WHERE d.state = 'pending' AND d.subscription_id > p.subscription_id
             ORDER BY d.subscription_id LIMIT 1)
     FROM pending p WHERE p.subscription_id IS NOT NULL),
   -- Those that are on, have room in this instance and something due, with their oldest due time.
   open AS (
     SELECT s.id, least(coalesce(r.room, $3), $4) AS room, oldest.next_attempt_at AS oldest
     FROM pending p
     JOIN subscriptions s ON s.id = p.subscription_id AND s.active AND s.deleted_at IS NULL
     LEFT JOIN rooms r ON r.subscription_id = s.id
     CROSS JOIN LATERAL (
       SELECT next_attempt_at FROM deliveries
       WHERE state = 'pending' AND subscription_id = s.id AND next_attempt_at <= now()
       ORDER BY next_attempt_at LIMIT 1) oldest
     WHERE coalesce(r.room, $3) > 0),
   -- The candidates: each subscription's oldest due deliveries up to its room, from the subscriptions
   -- whose oldest is oldest, until about four times the claim's limit are in (its bound of work).
   chosen AS (
     SELECT id, room FROM (SELECT id, room, sum(room) OVER (ORDER BY oldest, id) - room AS before FROM open) o
     WHERE before < 4 * $4),
   due AS (
     SELECT d.id, d.next_attempt_at FROM chosen c CROSS JOIN LATERAL (
       SELECT id, next_attempt_at FROM deliveries
       WHERE state = 'pending' AND subscription_id = c.id AND next_attempt_at <= now()
       ORDER BY next_attempt_at LIMIT c.room) d),
   picked AS (SELECT id FROM due ORDER BY next_attempt_at LIMIT $4),
   -- By primary key from the picked ids, and by nothing else: a condition that the due index covers
   -- (state, or the subscription) let a plan scan every due row for them instead. With statistics
   -- that saw few due rows, 326 were locked by filtering 27,000 (31 of 47 ms). A locked row's
   -- columns are its latest version's (read committed): whether it is still due is checked on them.
   locked AS (
     SELECT d.id, d.state, d.next_attempt_at FROM deliveries d
     WHERE d.id = ANY (ARRAY(SELECT id FROM picked))
     FOR UPDATE OF d SKIP LOCKED)
   -- a subscription turned off meanwhile: its deliveries stay as they are (their locks end with the claim)
   UPDATE deliveries d SET next_attempt_at = now() + $5 * interval '1 millisecond', attempts = d.attempts + 1
   FROM locked, subscriptions s
   WHERE d.id = locked.id AND locked.state = 'pending' AND locked.next_attempt_at <= now()
     AND s.id = d.subscription_id AND s.active AND s.deleted_at IS NULL
   RETURNING d.id, d.subscription_id AS "subscriptionId", d.workspace_id AS "workspaceId", d.attempts,
     -- recorded before migration 605, a delivery's body is on its row
     coalesce((SELECT b.body FROM delivery_bodies b WHERE b.delivery_id = d.id), d.body) AS body, s.url, s.secret,
     s.previous_secret AS "previousSecret", s.previous_secret_expires_at AS "previousSecretExpiresAt"`;

/**
 * Writes attempts' outcomes. An attempt's outcome goes on its delivery's row (`outcome_attempt`
 * names it) and only there: the outcome the row held before, if any, moves to the attempt log, so a
 * delivery delivered at its first attempt costs no log row; the deliveries API reads both.
 */
const WRITE_OUTCOMES = `WITH v AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[], $7::int[], $8::text[], $9::text[], $10::int[])
      AS v(id, workspace_id, state, next_attempt_at, started_at, duration_ms, status, body, error, attempt)),
  -- The rows as they were (the statement's snapshot): outcomes this batch replaces. A first attempt
  -- replaces none (so most outcomes cost no lookup here).
  replaced AS (
    SELECT d.id, d.outcome_attempt, d.workspace_id, d.last_attempt_at, d.duration_ms, d.response_status, d.response_body, d.error
    FROM v JOIN deliveries d ON d.id = v.id AND d.attempts = v.attempt WHERE v.attempt > 1 AND d.outcome_attempt IS NOT NULL),
  outcome AS (
    -- A subscription turned off while the attempt was in flight: the delivery waits without a due time.
    -- An attempt no longer decides the outcome once its lease lapsed (the delivery may have been
    -- claimed again), nor when the delivery was made due meanwhile (a retry asked for while it was in
    -- flight): the delivery goes again, with the same webhook-id. clock_timestamp(), not now(): a
    -- retry's UPDATE may commit while this statement waits for its row lock, and the row is then
    -- re-checked against the time of the check, not the older start of this statement's transaction.
    UPDATE deliveries d SET state = v.state, next_attempt_at = CASE WHEN s.active THEN v.next_attempt_at END,
      last_attempt_at = v.started_at, duration_ms = v.duration_ms, response_status = v.status, response_body = v.body, error = v.error,
      outcome_attempt = v.attempt
    FROM v, subscriptions s
    WHERE d.id = v.id AND d.attempts = v.attempt AND (d.next_attempt_at IS NULL OR d.next_attempt_at > clock_timestamp()) AND s.id = d.subscription_id
    RETURNING d.id, d.outcome_attempt AS attempt),
  moved AS (${logOutcomesOf('replaced')}),
  late AS (
    -- every attempt made is logged: one that decided nothing goes straight to the log
    INSERT INTO delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms, response_status, response_body, error)
    SELECT id, attempt, workspace_id, started_at, duration_ms, status, body, error FROM v
    WHERE NOT EXISTS (SELECT 1 FROM outcome o WHERE o.id = v.id AND o.attempt = v.attempt)
    ON CONFLICT DO NOTHING)
  UPDATE subscriptions SET consecutive_failures = 0 WHERE id = ANY($11::uuid[]) AND consecutive_failures <> 0`;

/** WRITE_OUTCOMES' parameters: the batch as columns, and the subscriptions a success resets the failure streak of. */
const outcomeParams = (batch: Outcome[]) => [
  batch.map((o) => o.claimed.id),
  batch.map((o) => o.claimed.workspaceId),
  batch.map((o) => o.verdict.state),
  batch.map((o) => o.verdict.nextAttemptAt),
  batch.map((o) => o.result.startedAt),
  batch.map((o) => o.result.durationMs),
  batch.map((o) => o.result.status),
  batch.map((o) => storable(o.result.body)),
  batch.map((o) => storable(o.result.error)),
  batch.map((o) => o.claimed.attempts),
  [...new Set(batch.filter((o) => o.verdict.state === 'delivered').map((o) => o.claimed.subscriptionId))],
];

/**
 * Delivers what the deliveries table holds: claims due rows (FOR UPDATE SKIP LOCKED, so any
 * number of instances share the work), attempts them, and writes outcomes back in batches. A
 * claim pushes the row's due time past a lease: if the instance dies before writing the outcome,
 * the row comes due again and another (or the restarted) instance delivers it, with the same
 * webhook-id. Ordering is not promised.
 */
export class Dispatcher {
  /** Claimed deliveries per subscription: waiting for a slot, in flight, reserved. */
  private readonly held = new Map<string, Held>();
  private heldTotal = 0;
  /** The last claim may have left due deliveries behind (it filled its room, or a subscription's hold). */
  private backlog = true;
  private inFlightTotal = 0;
  private analyzedAt = 0;
  private outcomes: Outcome[] = [];
  private running = false;
  private pumping = false;
  private pumpAgain = false;
  /** The claims in progress (stop waits for them: what they claim is handed back, not left to its lease). */
  private pumped: Promise<void> = Promise.resolve();
  private wakeTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private maintenanceTimer?: NodeJS.Timeout;
  private flushTimer?: NodeJS.Timeout;
  private paceTimer?: NodeJS.Timeout;
  /** Per subscription: attempts ended since the last pace, and the rate of them per second (smoothed). */
  private readonly pace = new Map<string, { ended: number; perSecond: number }>();
  private pacedAt = Date.now();
  private readonly heldMax: number;
  private flushing: Promise<void> = Promise.resolve();
  private idle?: () => void;

  /**
   * A claimed delivery is due again after this long if its outcome was never written (the instance
   * died): the rounds ahead of it at the attempt timeout each, its own, and a margin.
   */
  readonly leaseMs: number;

  constructor(private readonly options: DispatcherOptions) {
    this.leaseMs = (HOLD_ROUNDS + 1) * options.attemptTimeoutMs + 5_000;
    // in all, at most HOLD_MAX_ROUNDS of the instance's concurrency (the bodies are in memory: ~2 KB each)
    this.heldMax = HOLD_MAX_ROUNDS * options.maxInFlight;
  }

  start(): void {
    this.running = true;
    this.pollTimer = setInterval(() => this.wake(), this.options.pollMs);
    // a first round now: an instance (re)started is how a deployment gets its log bounded soonest
    void this.maintain();
    this.maintenanceTimer = setInterval(() => void this.maintain(), MAINTENANCE_MS);
    this.paceTimer = setInterval(() => this.measure(), PACE_MS);
    this.wake();
  }

  /** Deletes what is past retention, then vacuums; a failure only waits for the next round. */
  private async maintain(): Promise<void> {
    const { db, logger, retentionDays } = this.options;
    await db
      .query(
        // The log's bound: finished deliveries (their attempts and bodies too) older than the retention; pending ones stay whatever their age.
        `WITH old AS (
           DELETE FROM deliveries WHERE id IN (
             SELECT id FROM deliveries WHERE created_at < now() - $1 * interval '1 day' AND state <> 'pending' LIMIT $2)
           RETURNING id),
         attempts AS (DELETE FROM delivery_attempts a USING old WHERE a.delivery_id = old.id)
         DELETE FROM delivery_bodies b USING old WHERE b.delivery_id = old.id`,
        [retentionDays, RETENTION_BATCH],
      )
      .catch((err: unknown) => logger.warn({ err }, 'deleting webhook deliveries past retention failed'));
    // SKIP_LOCKED: another instance vacuuming already is enough.
    await db
      .query(`VACUUM (ANALYZE, SKIP_LOCKED) deliveries (${CLAIM_COLUMNS.join(', ')})`)
      .catch((err: unknown) => logger.warn({ err }, 'vacuum of deliveries failed'));
  }

  /**
   * Refreshes PostgreSQL's statistics of the claim's columns when deliveries pile up, at most every
   * BACKLOG_ANALYZE_MS. Statistics taken while the table was empty or nearly all delivered (or none
   * yet) make pending rows look rare, and the claim is then planned as a scan of every due row, twice:
   * with 20,000 due it cost ~400 µs per delivery claimed instead of ~85, until the next maintenance.
   */
  private analyzeIfStale(): void {
    const now = Date.now();
    if (now - this.analyzedAt < BACKLOG_ANALYZE_MS) return;
    this.analyzedAt = now;
    void this.options.db
      .query(`ANALYZE (SKIP_LOCKED) deliveries (${CLAIM_COLUMNS.join(', ')})`)
      .catch((err: unknown) => this.options.logger.warn({ err }, 'analysing deliveries failed'));
  }

  /**
   * Slots for deliveries about to be recorded, so the INSERT that records them claims them too (no
   * claim query and no second row version per delivery): per subscription, at most what a claim
   * would take now. Hand the reservation back with `adopt`, whatever the INSERT did.
   */
  reserve(wanted: Map<string, number>): Map<string, number> {
    const granted = new Map<string, number>();
    if (!this.running) return granted;
    for (const [subscriptionId, count] of wanted) {
      const held = this.heldOf(subscriptionId);
      const room = Math.min(count, this.holdOf(subscriptionId) - this.busy(held), this.heldMax - this.heldTotal);
      if (room > 0) {
        held.reserved += room;
        this.heldTotal += room;
        granted.set(subscriptionId, room);
      }
      this.forgetIfIdle(subscriptionId);
    }
    return granted;
  }

  /** Ends a reservation: `claimed` (recorded already claimed) are attempted like claimed ones. */
  adopt(granted: Map<string, number>, claimed: Claimed[]): void {
    for (const [subscriptionId, count] of granted) {
      this.held.get(subscriptionId)!.reserved -= count;
      this.heldTotal -= count;
    }
    this.hold(claimed);
    for (const subscriptionId of granted.keys()) this.forgetIfIdle(subscriptionId);
  }

  /**
   * How many deliveries of a subscription this instance may hold: HOLD_ROUNDS of its concurrency, or
   * HOLD_SECONDS of its delivery rate here if more (a receiver that does not answer keeps the least).
   */
  private holdOf(subscriptionId: string): number {
    const perSecond = this.pace.get(subscriptionId)?.perSecond ?? 0;
    const { perSubscription } = this.options;
    return Math.max(HOLD_ROUNDS * perSubscription, Math.min(Math.round(perSecond * HOLD_SECONDS), HOLD_MAX_ROUNDS * perSubscription));
  }

  private busy(held: Held): number {
    return held.waiting.length + held.inFlight + held.reserved;
  }

  /**
   * Every PACE_MS: each subscription's delivery rate (half the last second's, half the rate before),
   * and the deliveries waiting here whose lease would lapse before an attempt could end are handed back.
   */
  private measure(): void {
    const now = Date.now();
    const seconds = (now - this.pacedAt) / 1000;
    this.pacedAt = now;
    for (const [subscriptionId, pace] of this.pace) {
      pace.perSecond = pace.perSecond / 2 + pace.ended / seconds / 2;
      pace.ended = 0;
      if (pace.perSecond < 1 && !this.held.has(subscriptionId)) this.pace.delete(subscriptionId);
    }
    // an attempt started before the next round must end inside the lease
    const latest = now + this.options.attemptTimeoutMs + PACE_MS;
    const lapsing: Claimed[] = [];
    for (const [subscriptionId, held] of this.held) {
      const kept: Claimed[] = [];
      for (const c of held.waiting) (c.leaseEndsAt > latest ? kept : lapsing).push(c);
      if (kept.length === held.waiting.length) continue;
      held.waiting = kept;
      this.forgetIfIdle(subscriptionId);
    }
    this.handBack(lapsing);
  }

  /** Takes held deliveries whose lease cannot cover an attempt off the hold, and releases them. */
  private handBack(lapsing: Claimed[]): void {
    if (!lapsing.length) return;
    this.heldTotal -= lapsing.length;
    void this.release(lapsing, 'lease');
  }

  /**
   * Hands claimed deliveries back unattempted: due now (or still paused), their claim's attempt not
   * counted. A delivery claimed again since (its lease lapsed) counts more attempts and is left alone.
   */
  private async release(claimed: Claimed[], reason: 'stop' | 'lease'): Promise<void> {
    released.inc({ reason }, claimed.length);
    await this.options.db
      .query(
        `UPDATE deliveries d SET next_attempt_at = CASE WHEN d.next_attempt_at IS NULL THEN NULL ELSE now() END, attempts = d.attempts - 1
         FROM unnest($1::uuid[], $2::int[]) AS v(id, attempts)
         WHERE d.id = v.id AND d.attempts = v.attempts AND d.state = 'pending'`,
        [claimed.map((c) => c.id), claimed.map((c) => c.attempts)],
      )
      .catch((err: unknown) => this.options.logger.warn({ err }, 'could not hand back claimed deliveries; their leases will lapse'));
  }

  private heldOf(subscriptionId: string): Held {
    let held = this.held.get(subscriptionId);
    if (!held) this.held.set(subscriptionId, (held = { waiting: [], inFlight: 0, reserved: 0 }));
    return held;
  }

  private forgetIfIdle(subscriptionId: string): void {
    const held = this.held.get(subscriptionId);
    if (held && held.inFlight === 0 && held.waiting.length === 0 && held.reserved === 0) this.held.delete(subscriptionId);
  }

  /** Claimed deliveries wait for a slot of their subscription; those with a free slot start now. */
  private hold(claimed: Claimed[]): void {
    for (const delivery of claimed) {
      this.heldOf(delivery.subscriptionId).waiting.push(delivery);
      this.heldTotal++;
    }
    for (const subscriptionId of new Set(claimed.map((c) => c.subscriptionId))) this.drain(subscriptionId);
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
    clearInterval(this.paceTimer);
    clearTimeout(this.wakeTimer);
    await this.pumped;
    const waiting = [...this.held.values()].flatMap((h) => h.waiting.splice(0));
    if (waiting.length) await this.release(waiting, 'stop');
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
    this.pumped = this.claimWhileRoom()
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
   * Claims up to HOLD_ROUNDS times the concurrency (per subscription and in all): what is beyond
   * the concurrency waits here for a slot, so claims come in batches instead of one per finished attempt.
   */
  private async claimWhileRoom(): Promise<void> {
    while (this.running) {
      const room = Math.min(this.heldMax - this.heldTotal, 1_000);
      if (room <= 0) return void (this.backlog = true);
      const { claimed, filled } = await this.claim(room);
      this.hold(claimed);
      // More may be due: the claim took all it could, or all a subscription had room for, or a
      // subscription had no room (attempts that ended while it ran do not make a full hold look unused).
      this.backlog = claimed.length === room || filled;
      if (this.backlog) this.analyzeIfStale();
      if (claimed.length < room) return;
    }
  }

  /**
   * Claims up to `limit` due deliveries, each subscription's up to the room it has in this instance;
   * `filled`: some subscription got all its room, or had none (it may have more due). The claim's commit does not
   * wait for the WAL to reach disk: a claim lost with PostgreSQL only leaves its deliveries due again,
   * and the wait was most of a claim's time.
   */
  private async claim(limit: number): Promise<{ claimed: Claimed[]; filled: boolean }> {
    // The room of each subscription held here; others have the least hold.
    const rooms = new Map([...this.held].map(([id, h]) => [id, this.holdOf(id) - this.busy(h)]));
    const { leaseMs } = this;
    const leaseEndsAt = Date.now() + leaseMs;
    const least = HOLD_ROUNDS * this.options.perSubscription;
    const claimed = await this.options.db.transaction(async (manager) => {
      await manager.query('SET LOCAL synchronous_commit = off');
      return queryRows<Omit<Claimed, 'leaseEndsAt'>>(
        manager,
        CLAIM_DUE,
        [[...rooms.keys()], [...rooms.values()], least, limit, leaseMs],
      );
    });
    const counts = new Map<string, number>();
    for (const c of claimed) counts.set(c.subscriptionId, (counts.get(c.subscriptionId) ?? 0) + 1);
    // A subscription already holding all it may (no room in this claim) may have more due too.
    const filled = [...rooms.values()].some((room) => room <= 0) || [...counts].some(([id, n]) => n >= Math.min(rooms.get(id) ?? least, limit));
    const { secrets } = this.options;
    return {
      claimed: claimed.map((c) => ({
        ...c,
        secret: secrets.open(c.secret),
        previousSecret: c.previousSecret === null ? null : secrets.open(c.previousSecret),
        leaseEndsAt,
      })),
      filled,
    };
  }

  /**
   * Starts waiting deliveries of a subscription while it has free slots. One whose lease would lapse
   * before its attempt could end is handed back instead (another claim may take it once it lapses).
   */
  private drain(subscriptionId: string): void {
    const held = this.held.get(subscriptionId);
    const lapsing: Claimed[] = [];
    const latestStart = Date.now() + this.options.attemptTimeoutMs;
    while (held && held.waiting.length && held.inFlight < this.options.perSubscription) {
      const next = held.waiting.shift()!;
      if (next.leaseEndsAt <= latestStart) {
        lapsing.push(next);
        continue;
      }
      held.inFlight++;
      this.inFlightTotal++;
      this.attempt(next);
    }
    this.handBack(lapsing);
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
    const pace = this.pace.get(subscriptionId);
    if (pace) pace.ended++;
    else this.pace.set(subscriptionId, { ended: 1, perSecond: 0 });
    if (this.running) this.drain(subscriptionId);
    this.forgetIfIdle(subscriptionId);
    if (this.inFlightTotal === 0) this.idle?.();
    // More is claimed once a subscription holds no more than half of what it may (claims of half a
    // hold at least), if the last claim may have left some: new ones wake the dispatcher themselves.
    if (this.backlog && 2 * (held.waiting.length + held.inFlight) <= this.holdOf(subscriptionId)) this.wake();
  }

  /**
   * Outcomes are written every FLUSH_MS or OUTCOMES_PER_FLUSH, whichever comes first: a statement
   * costs PostgreSQL about as much again as a few dozen rows it writes, and an outcome's delay only
   * delays its row's update (the slot is free already; a lost outcome means a redelivery).
   */
  private scheduleFlush(): void {
    if (this.outcomes.length >= OUTCOMES_PER_FLUSH) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      void this.flush();
    } else {
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        void this.flush();
      }, FLUSH_MS);
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

  /**
   * Outcomes, attempts the log lacks, and the failure streaks reset by successes: one prepared
   * statement on the pool (its own transaction) unless a subscription may have to be turned off.
   */
  private async write(batch: Outcome[]): Promise<void> {
    const rare = batch.some((o) => o.verdict.exhausted || o.verdict.disableReason);
    const params = outcomeParams(batch);
    if (!rare) return void (await preparedRows(this.options.db, 'webhook-write-outcomes', WRITE_OUTCOMES, params));
    await this.options.db.transaction(async (manager) => {
      await manager.query(WRITE_OUTCOMES, params);
      await this.countFailures(manager, batch);
    });
  }

  /** Counts deliveries that ran out of attempts against their subscriptions; turns off those past the limit or gone (410). */
  private async countFailures(manager: EntityManager, batch: Outcome[]): Promise<void> {
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
  }
}
