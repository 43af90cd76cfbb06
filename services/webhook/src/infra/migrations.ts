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

export const MIGRATIONS: MigrationClass[] = [CreateWebhooks1700000000600];
