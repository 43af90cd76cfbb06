import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from '@hop/db';

export class CreateConversionTables1710000000000 implements MigrationInterface {
  name = 'CreateConversionTables1710000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS customers (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL,
      external_id text NOT NULL,
      name text NOT NULL,
      email text,
      phone text,
      avatar text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT customers_workspace_external_id UNIQUE (workspace_id, external_id))`);
    await q.query(`CREATE INDEX IF NOT EXISTS customers_workspace_created ON customers (workspace_id, created_at, id)`);

    await q.query(`CREATE TABLE IF NOT EXISTS leads (
      id uuid PRIMARY KEY,
      seq bigserial NOT NULL,
      workspace_id uuid NOT NULL,
      customer_id uuid NOT NULL REFERENCES customers (id),
      click_id text NOT NULL,
      link_id uuid NOT NULL,
      partner_id uuid,
      event_name text NOT NULL,
      metadata jsonb,
      created_at timestamptz NOT NULL)`);
    // "Most recent lead" (optionally by event name) of a customer is the hot read of attribution.
    await q.query(`CREATE INDEX IF NOT EXISTS leads_customer_recent ON leads (workspace_id, customer_id, created_at DESC, seq DESC)`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS leads_customer_event ON leads (workspace_id, customer_id, event_name, created_at DESC, seq DESC)`,
    );

    await q.query(`CREATE TABLE IF NOT EXISTS sales (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL,
      customer_id uuid NOT NULL REFERENCES customers (id),
      lead_id uuid REFERENCES leads (id),
      click_id text NOT NULL,
      link_id uuid NOT NULL,
      partner_id uuid,
      event_name text NOT NULL,
      amount bigint NOT NULL CHECK (amount >= 0),
      currency text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
      metadata jsonb,
      idempotency_key text,
      request_fingerprint text,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL)`);
    await q.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS sales_idempotency_key ON sales (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX IF NOT EXISTS sales_customer ON sales (workspace_id, customer_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS sales');
    await q.query('DROP TABLE IF EXISTS leads');
    await q.query('DROP TABLE IF EXISTS customers');
  }
}

/** The service's migrations, in order (the outbox tables come from @hop/events). */
export const MIGRATIONS: MigrationClass[] = [CreateConversionTables1710000000000];
