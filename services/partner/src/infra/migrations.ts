import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from '@hop/db';

export class CreatePartners1700000000200 implements MigrationInterface {
  name = 'CreatePartners1700000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS partners (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL,
      name text NOT NULL,
      email text NULL,
      phone text NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz NULL)`);
    // Lists and lookups only ever touch a workspace's live partners.
    await q.query(`CREATE INDEX IF NOT EXISTS partners_live_by_created
      ON partners (workspace_id, created_at, id) WHERE deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS partners');
  }
}

/** The service's migrations, in order. */
export const MIGRATIONS: MigrationClass[] = [CreatePartners1700000000200];
