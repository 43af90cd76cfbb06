import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from '@hop/db';

/** Rows that hold their route (links_route's predicate; the store's conflict target repeats it). */
export const ROUTE_HELD = 'domain IS NULL OR deleted_at IS NULL';

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

/**
 * Branded domains (issue 18): the domains table, and links placed on a domain. A key is unique
 * per domain (the default domain is the empty name). On the default domain, shared by every
 * workspace, deleted links keep their keys (as before: a printed short URL never leads to another
 * link); on a branded domain, which one workspace owns, a deleted link's key can be used again.
 */
export class AddDomains1720000000000 implements MigrationInterface {
  name = 'AddDomains1720000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS domains (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL,
      name text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'verified', 'failed')),
      verification_token text NOT NULL,
      verified_at timestamptz NULL,
      last_checked_at timestamptz NULL,
      is_primary boolean NOT NULL DEFAULT false,
      root_redirect_url text NULL,
      not_found_url text NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS domains_workspace_name ON domains (workspace_id, name)`);
    // A verified domain belongs to one workspace; others may hold pending claims.
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS domains_verified_name ON domains (name) WHERE status = 'verified'`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS domains_primary ON domains (workspace_id) WHERE is_primary`);
    await q.query(`CREATE INDEX IF NOT EXISTS domains_due ON domains (last_checked_at NULLS FIRST) WHERE status <> 'verified'`);
    await q.query(`ALTER TABLE links ADD COLUMN IF NOT EXISTS domain_id uuid NULL, ADD COLUMN IF NOT EXISTS domain text NULL`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS links_route ON links ((coalesce(domain, '')), short_id) WHERE ${ROUTE_HELD}`);
    await q.query(`DROP INDEX IF EXISTS links_short_id`);
    await q.query(`CREATE INDEX IF NOT EXISTS links_domain ON links (workspace_id, domain_id) WHERE deleted_at IS NULL AND domain_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS links_domain`);
    await q.query(`DROP INDEX IF EXISTS links_route`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS links_short_id ON links (short_id)`);
    await q.query(`ALTER TABLE links DROP COLUMN IF EXISTS domain_id, DROP COLUMN IF EXISTS domain`);
    await q.query('DROP TABLE IF EXISTS domains');
  }
}

/**
 * Periodic re-checks of verified domains (issue 18): operator-verified domains are exempt, a
 * count of consecutive checks without proof, and when a domain lost its verification.
 */
export class AddDomainRechecks1730000000000 implements MigrationInterface {
  name = 'AddDomainRechecks1730000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE domains
      ADD COLUMN IF NOT EXISTS verified_without_dns boolean NOT NULL DEFAULT false,
      ADD COLUMN IF NOT EXISTS failed_checks int NOT NULL DEFAULT 0,
      ADD COLUMN IF NOT EXISTS unverified_since timestamptz NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS domains_recheck ON domains (last_checked_at NULLS FIRST) WHERE status = 'verified' AND NOT verified_without_dns`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS domains_recheck`);
    await q.query(`ALTER TABLE domains DROP COLUMN IF EXISTS verified_without_dns, DROP COLUMN IF EXISTS failed_checks, DROP COLUMN IF EXISTS unverified_since`);
  }
}

/**
 * The console's links table sorted by key (`orderBy=key`): a page of a workspace's links in key
 * order read from an index instead of sorting them all. Byte order (COLLATE "C"): keys are ASCII.
 */
export class AddLinkKeyOrder1740000000000 implements MigrationInterface {
  name = 'AddLinkKeyOrder1740000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS links_key_order ON links (workspace_id, short_id COLLATE "C", seq) WHERE deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS links_key_order`);
  }
}

/** The console's links table sorted by title (`orderBy=title`), read from an index like the key order. */
export class AddLinkTitleOrder1750000000000 implements MigrationInterface {
  name = 'AddLinkTitleOrder1750000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS links_title_order ON links (workspace_id, title, seq) WHERE deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS links_title_order`);
  }
}

/** The service's migrations, in order (the outbox tables come from @hop/events). */
export const MIGRATIONS: MigrationClass[] = [
  CreateLinks1710000000000,
  AddDomains1720000000000,
  AddDomainRechecks1730000000000,
  AddLinkKeyOrder1740000000000,
  AddLinkTitleOrder1750000000000,
];
