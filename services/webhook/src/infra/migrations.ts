import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from '@hop/db';

export class CreateWebhooks1700000000600 implements MigrationInterface {
  name = 'CreateWebhooks1700000000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS subscriptions (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL,
      name text NOT NULL,
      url text NOT NULL,
      events text[] NOT NULL,
      collection_ids uuid[] NOT NULL DEFAULT '{}',
      link_ids uuid[] NOT NULL DEFAULT '{}',
      active boolean NOT NULL,
      disabled_reason text NULL,
      secret text NOT NULL,
      previous_secret text NULL,
      previous_secret_expires_at timestamptz NULL,
      -- deliveries in a row that failed every attempt (reset by any success)
      consecutive_failures int NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz NULL)`);
    await q.query(`CREATE INDEX IF NOT EXISTS subscriptions_live_by_workspace
      ON subscriptions (workspace_id, created_at, id) WHERE deleted_at IS NULL`);
    // One row per (subscription, event): written before the first attempt, the queue and the log at once.
    await q.query(`CREATE TABLE IF NOT EXISTS deliveries (
      id uuid PRIMARY KEY,
      subscription_id uuid NOT NULL REFERENCES subscriptions (id),
      workspace_id uuid NOT NULL,
      event_id text NOT NULL,
      event_type text NOT NULL,
      occurred_at timestamptz NOT NULL,
      body text NOT NULL,
      state text NOT NULL DEFAULT 'pending',
      attempts int NOT NULL DEFAULT 0,
      -- due time while pending; a claimed delivery's is pushed past its lease, so a crashed worker's claim lapses
      next_attempt_at timestamptz NULL,
      last_attempt_at timestamptz NULL,
      duration_ms int NULL,
      response_status int NULL,
      response_body text NULL,
      error text NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (subscription_id, event_id))`);
    await q.query(`CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending'`);
    // Every delivery leaves dead entries at the front of deliveries_due (claimed, then done): vacuum and
    // re-plan early, or the claim scans ever more of them under a steady stream.
    await q.query(`ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01,
      autovacuum_vacuum_insert_scale_factor = 0.01)`);
    await q.query(`CREATE INDEX IF NOT EXISTS deliveries_log ON deliveries (subscription_id, created_at, id)`);
    // The local projection of links.v1: links as the link service shows them, fetched when a delivery needs one.
    await q.query(`CREATE TABLE IF NOT EXISTS links (
      workspace_id uuid NOT NULL,
      id uuid NOT NULL,
      version bigint NOT NULL,
      link jsonb NOT NULL,
      PRIMARY KEY (workspace_id, id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS links');
    await q.query('DROP TABLE IF EXISTS deliveries');
    await q.query('DROP TABLE IF EXISTS subscriptions');
  }
}

/**
 * Every attempt of a delivery (the deliveries row keeps the last one's outcome for the list and its
 * filters). Rows only ever appended, so the log costs one narrow INSERT per attempt; BRIN indexes
 * on the times let the retention sweep find old rows without a scan, for next to no upkeep.
 */
export class DeliveryAttempts1700000000601 implements MigrationInterface {
  name = 'DeliveryAttempts1700000000601';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS delivery_attempts (
      delivery_id uuid NOT NULL,
      attempt int NOT NULL,
      workspace_id uuid NOT NULL,
      started_at timestamptz NOT NULL,
      duration_ms int NOT NULL,
      response_status int NULL,
      response_body text NULL,
      error text NULL,
      PRIMARY KEY (delivery_id, attempt))`);
    // The attempts made before this log existed: each delivery's last one is all that was kept.
    await q.query(`INSERT INTO delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms, response_status, response_body, error)
      SELECT id, attempts, workspace_id, last_attempt_at, coalesce(duration_ms, 0), response_status, response_body, error
      FROM deliveries WHERE last_attempt_at IS NOT NULL AND attempts > 0
      ON CONFLICT DO NOTHING`);
    await q.query(`CREATE INDEX IF NOT EXISTS delivery_attempts_age ON delivery_attempts USING brin (started_at)`);
    await q.query(`CREATE INDEX IF NOT EXISTS deliveries_age ON deliveries USING brin (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS deliveries_age');
    await q.query('DROP TABLE IF EXISTS delivery_attempts');
  }
}

/**
 * A delivery's latest attempt is logged on its row only (`outcome_attempt` names it) until a later
 * attempt's outcome replaces it and moves it to delivery_attempts: a delivery delivered at its
 * first try (nearly all) no longer costs an attempt-log row. Rows from before have NULL: every
 * attempt of theirs is in delivery_attempts already. Adding a nullable column rewrites nothing;
 * pending deliveries go on as they were. Instances of the version before must not write outcomes
 * once this runs (they would leave an outcome on a row under another attempt's number): stop
 * them before starting this one.
 */
export class OutcomeOnDelivery1700000000602 implements MigrationInterface {
  name = 'OutcomeOnDelivery1700000000602';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS outcome_attempt int NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    // the version before reads every attempt from delivery_attempts
    await q.query(`INSERT INTO delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms, response_status, response_body, error)
      SELECT id, outcome_attempt, workspace_id, last_attempt_at, coalesce(duration_ms, 0), response_status, response_body, error
      FROM deliveries WHERE outcome_attempt IS NOT NULL
      ON CONFLICT DO NOTHING`);
    await q.query('ALTER TABLE deliveries DROP COLUMN IF EXISTS outcome_attempt');
  }
}

/**
 * The due deliveries by subscription, replacing deliveries_due (by due time alone): a claim takes
 * each subscription's oldest due deliveries, up to the room it has, from its own range of the
 * index. With the due time alone, a claim had to read and rank several times what it took, and a
 * subscription's backlog ahead in due order hid every other subscription's due deliveries from it.
 * Built concurrently (outside a transaction): consumers and the dispatcher keep writing meanwhile.
 */
export class DueBySubscription1700000000603 implements MigrationInterface {
  name = 'DueBySubscription1700000000603';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    // A build that failed leaves an invalid index, which IF NOT EXISTS would keep.
    await dropIfInvalid(q, 'deliveries_due_by_subscription');
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS deliveries_due_by_subscription ON deliveries (subscription_id, next_attempt_at) WHERE state = 'pending'`);
    await q.query('DROP INDEX CONCURRENTLY IF EXISTS deliveries_due');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIfInvalid(q, 'deliveries_due');
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending'`);
    await q.query('DROP INDEX CONCURRENTLY IF EXISTS deliveries_due_by_subscription');
  }
}

/** The deliveries columns whose statistics plan a claim (ClaimStatistics1700000000604). */
export const CLAIM_COLUMNS = ['state', 'subscription_id', 'next_attempt_at'];

/**
 * The claim's plans depend on three columns' statistics: how many rows are pending, for which
 * subscriptions, and how many are due. The dispatcher analyses those alone while a backlog builds;
 * at 10 (a 3,000-row sample instead of 30,000) that costs ~15 ms instead of ~500 ms on a table of
 * 150,000 deliveries, where every other column's statistics (the bodies first) are of no use to it.
 */
export class ClaimStatistics1700000000604 implements MigrationInterface {
  name = 'ClaimStatistics1700000000604';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ${CLAIM_COLUMNS.map((c) => `ALTER COLUMN ${c} SET STATISTICS 10`).join(', ')}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ${CLAIM_COLUMNS.map((c) => `ALTER COLUMN ${c} SET STATISTICS -1`).join(', ')}`);
  }
}

/**
 * Bodies apart from the queue: a delivery's row is rewritten when it is claimed and when its outcome
 * is written, and with its body (~1.5 KB for a click, too small for TOAST to move out of the row)
 * each rewrite copied it, in the table and in the WAL. Bodies are written once, here, and read by
 * the claim. Rows recorded before keep theirs in deliveries.body (now nullable), which the claim
 * still reads: nothing is moved. Stop the instances of the version before first: their claims read
 * deliveries.body only, and would send an empty body for a delivery recorded after this.
 */
export class BodiesApart1700000000605 implements MigrationInterface {
  name = 'BodiesApart1700000000605';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS delivery_bodies (
      delivery_id uuid PRIMARY KEY,
      body text NOT NULL)`);
    await q.query('ALTER TABLE deliveries ALTER COLUMN body DROP NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('UPDATE deliveries d SET body = b.body FROM delivery_bodies b WHERE b.delivery_id = d.id AND d.body IS NULL');
    await q.query(`DELETE FROM deliveries WHERE body IS NULL`);
    await q.query('ALTER TABLE deliveries ALTER COLUMN body SET NOT NULL');
    await q.query('DROP TABLE IF EXISTS delivery_bodies');
  }
}

async function dropIfInvalid(q: QueryRunner, index: string): Promise<void> {
  const invalid = (await q.query(`SELECT 1 FROM pg_index i WHERE i.indexrelid = to_regclass($1) AND NOT i.indisvalid`, [index])) as unknown[];
  if (invalid.length) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${index}`);
}

export const MIGRATIONS: MigrationClass[] = [CreateWebhooks1700000000600, DeliveryAttempts1700000000601, OutcomeOnDelivery1700000000602, DueBySubscription1700000000603, ClaimStatistics1700000000604,
  BodiesApart1700000000605];
