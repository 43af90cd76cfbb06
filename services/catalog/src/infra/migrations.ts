import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from '@hop/db';

export class CreateCatalog1700000000100 implements MigrationInterface {
  name = 'CreateCatalog1700000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS collections (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL,
      name text NOT NULL,
      description text NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz NULL)`);
    // Lists and lookups only ever touch a workspace's live collections.
    await q.query(`CREATE INDEX IF NOT EXISTS collections_live_by_created
      ON collections (workspace_id, created_at, id) WHERE deleted_at IS NULL`);
    await q.query(`CREATE TABLE IF NOT EXISTS tags (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL,
      name text NOT NULL,
      color text NOT NULL DEFAULT 'slate',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX IF NOT EXISTS tags_by_workspace ON tags (workspace_id, id)`);
    // Tag names are unique per workspace regardless of case; the app checks first, this catches races.
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS tags_name_unique ON tags (workspace_id, lower(name))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS tags');
    await q.query('DROP TABLE IF EXISTS collections');
  }
}

/** The service's migrations, in order (the outbox tables come from @hop/events). */
export const MIGRATIONS: MigrationClass[] = [CreateCatalog1700000000100];
