import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWorkspacesAndKeys1700000001000 implements MigrationInterface {
  name = 'CreateWorkspacesAndKeys1700000001000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS workspaces (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        plan text NOT NULL,
        rate_limit integer NULL CHECK (rate_limit > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS api_keys (
        id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id),
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NULL,
        expires_at timestamptz NULL,
        revoked_at timestamptz NULL
      )`);
    await runner.query('CREATE INDEX IF NOT EXISTS api_keys_workspace_idx ON api_keys (workspace_id, created_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS api_keys');
    await runner.query('DROP TABLE IF EXISTS workspaces');
  }
}

/** The service's migrations, in order. */
export const MIGRATIONS: Function[] = [CreateWorkspacesAndKeys1700000001000];
