import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Characters of the destination URL covered by the URL filter's index (the store's queries use the same). */
export const URL_INDEX_PREFIX = 512;

export class CreateLinks1710000000000 implements MigrationInterface {
  name = 'CreateLinks1710000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS links (
      id uuid PRIMARY KEY,
      -- insertion order: breaks createdAt ties (a batch shares one createdAt) so pages are stable
      seq bigserial NOT NULL,
      workspace_id uuid NOT NULL,
      short_id text NOT NULL,
      url text NOT NULL,
      title text NULL,
      description text NULL,
      image text NULL,
      utm jsonb NULL,
      expires_at timestamptz NULL,
      expired_url text NULL,
      password_cipher text NULL,
      password_hash text NULL,
      cloaked boolean NOT NULL DEFAULT false,
      ios text NULL,
      android text NULL,
      geo jsonb NULL,
      collection_id uuid NOT NULL,
      external_id text NULL,
      tenant_id text NULL,
      partner_id uuid NULL,
      redirect_type smallint NOT NULL DEFAULT 302,
      active boolean NOT NULL DEFAULT true,
      hide_referrer boolean NOT NULL DEFAULT false,
      params jsonb NULL,
      social_title text NULL,
      social_description text NULL,
      social_image text NULL,
      tag_ids uuid[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      deleted_at timestamptz NULL)`);
    // Deployment-wide, deleted links included: a short id is never handed out twice.
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS links_short_id ON links (short_id)`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS links_external_id ON links (workspace_id, external_id)
      WHERE deleted_at IS NULL AND external_id IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS links_listing ON links (workspace_id, created_at, seq) WHERE deleted_at IS NULL`);
    // Only links that have a tenant or partner: most have neither, and bulk inserts skip these entries.
    await q.query(`CREATE INDEX IF NOT EXISTS links_tenant ON links (workspace_id, tenant_id)
      WHERE deleted_at IS NULL AND tenant_id IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS links_partner ON links (workspace_id, partner_id)
      WHERE deleted_at IS NULL AND partner_id IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS links_collection ON links (workspace_id, collection_id) WHERE deleted_at IS NULL`);
    // A prefix of the URL: whole URLs (up to 4,096 characters) could exceed a btree entry's size limit.
    await q.query(`CREATE INDEX IF NOT EXISTS links_url ON links (workspace_id, left(url, ${URL_INDEX_PREFIX}) text_pattern_ops)
      WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS links_tags ON links USING gin (tag_ids) WHERE deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS links');
  }
}

/** The service's migrations, in order (the outbox tables come from @hop/events). */
export const MIGRATIONS: Function[] = [CreateLinks1710000000000];
