import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from '@hop/db';

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

/** The access context: users, memberships, sessions, invitations and the append-only audit log. */
export class CreateAccessContext1700000002000 implements MigrationInterface {
  name = 'CreateAccessContext1700000002000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE api_keys
        ADD COLUMN IF NOT EXISTS created_by_user_id uuid NULL,
        ADD COLUMN IF NOT EXISTS created_by_key_id uuid NULL`);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS users (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query('CREATE UNIQUE INDEX IF NOT EXISTS users_email_idx ON users (lower(email))');
    await runner.query(`
      CREATE TABLE IF NOT EXISTS memberships (
        workspace_id uuid NOT NULL REFERENCES workspaces(id),
        user_id uuid NOT NULL REFERENCES users(id),
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, user_id)
      )`);
    await runner.query('CREATE INDEX IF NOT EXISTS memberships_user_idx ON memberships (user_id)');
    await runner.query(`
      CREATE TABLE IF NOT EXISTS sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        token_hash text NOT NULL UNIQUE,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        ip text NULL,
        user_agent text NULL
      )`);
    await runner.query('CREATE INDEX IF NOT EXISTS sessions_user_idx ON sessions (user_id)');
    await runner.query(`
      CREATE TABLE IF NOT EXISTS invitations (
        id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id),
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
        token_hash text NOT NULL UNIQUE,
        invited_by uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz NULL,
        revoked_at timestamptz NULL
      )`);
    await runner.query('CREATE INDEX IF NOT EXISTS invitations_workspace_idx ON invitations (workspace_id, created_at)');
    await runner.query(`
      CREATE TABLE IF NOT EXISTS audit_log (
        seq bigserial PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        workspace_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        actor_type text NOT NULL,
        actor_id text NULL,
        actor_label text NULL,
        action text NOT NULL,
        target_type text NULL,
        target_id text NULL,
        details jsonb NULL,
        ip text NULL
      )`);
    await runner.query('CREATE INDEX IF NOT EXISTS audit_log_workspace_idx ON audit_log (workspace_id, seq DESC)');
    // append-only for everyone, the gateway's own code included
    await runner.query(`
      CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`);
    await runner.query('DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log');
    await runner.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'invitations', 'sessions', 'memberships', 'users']) await runner.query(`DROP TABLE IF EXISTS ${table}`);
    await runner.query('DROP FUNCTION IF EXISTS audit_log_append_only');
    await runner.query('ALTER TABLE api_keys DROP COLUMN IF EXISTS created_by_user_id, DROP COLUMN IF EXISTS created_by_key_id');
  }
}

/** The service's migrations, in order. */
export const MIGRATIONS: MigrationClass[] = [CreateWorkspacesAndKeys1700000001000, CreateAccessContext1700000002000];
