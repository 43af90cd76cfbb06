import { CreateOutbox1700000000000 } from '@hop/events';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ZERO_ID } from '../domain/rollup';
import type { MigrationClass } from '@hop/db';

/**
 * Clicks are partitioned by month on created_at, so old months are dropped (or detached and
 * archived) whole instead of deleted row by row. PostgreSQL requires a partitioned table's unique
 * keys to include the partition key, so `clicks` cannot be unique on click_id alone: the narrow,
 * unpartitioned `click_ids` table is the idempotency key instead. Ingest inserts there first with
 * ON CONFLICT DO NOTHING and writes to `clicks` only the ids that insert returned, in the same
 * transaction. It also answers the click lookup by id (with created_at to reach the partition)
 * and carries the per-click conversion counters.
 */
export class CreateAnalytics1710000000000 implements MigrationInterface {
  name = 'CreateAnalytics1710000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS click_ids (
      click_id text PRIMARY KEY,
      workspace_id uuid NOT NULL,
      link_id uuid NOT NULL,
      partner_id uuid NULL,
      short_id text NOT NULL,
      created_at timestamptz NOT NULL,
      leads integer NOT NULL DEFAULT 0,
      sales integer NOT NULL DEFAULT 0,
      revenue bigint NOT NULL DEFAULT 0
    ) WITH (fillfactor = 90)`);
    await q.query(`CREATE TABLE IF NOT EXISTS clicks (
      click_id text NOT NULL,
      workspace_id uuid NOT NULL,
      link_id uuid NOT NULL,
      partner_id uuid NULL,
      short_id text NOT NULL,
      tenant_id text NULL,
      external_id text NULL,
      destination text NULL,
      referrer text NULL,
      visitor_id text NULL,
      visitor_session_id text NULL,
      utm jsonb NULL,
      browser_name text NULL,
      browser_version text NULL,
      os_name text NULL,
      os_version text NULL,
      device_type text NOT NULL,
      country text NULL,
      country_code text NULL,
      city text NULL,
      qr boolean NOT NULL,
      bot boolean NOT NULL,
      trigger text NOT NULL,
      created_at timestamptz NOT NULL
    ) PARTITION BY RANGE (created_at)`);
    // Catches rows outside the monthly partitions created ahead (see ClickPartitions).
    await q.query('CREATE TABLE IF NOT EXISTS clicks_default PARTITION OF clicks DEFAULT');
    // The documented filters: the workspace's clicks by time, one link's, one partner's.
    await q.query('CREATE INDEX IF NOT EXISTS clicks_workspace_created ON clicks (workspace_id, created_at)');
    await q.query('CREATE INDEX IF NOT EXISTS clicks_link_created ON clicks (link_id, created_at)');
    await q.query('CREATE INDEX IF NOT EXISTS clicks_partner_created ON clicks (partner_id, created_at) WHERE partner_id IS NOT NULL');

    // Hourly counters (see domain/rollup.ts). fillfactor leaves room for HOT updates of the counters.
    await q.query(`CREATE TABLE IF NOT EXISTS rollups (
      workspace_id uuid NOT NULL,
      dimension text NOT NULL,
      bucket timestamptz NOT NULL,
      value text NOT NULL,
      bot boolean NOT NULL,
      clicks bigint NOT NULL DEFAULT 0,
      leads bigint NOT NULL DEFAULT 0,
      sales bigint NOT NULL DEFAULT 0,
      revenue bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (workspace_id, dimension, bucket, value, bot)
    ) WITH (fillfactor = 80)`);
    await q.query(`CREATE TABLE IF NOT EXISTS link_rollups (
      workspace_id uuid NOT NULL,
      link_id uuid NOT NULL,
      partner_id uuid NOT NULL,
      bucket timestamptz NOT NULL,
      bot boolean NOT NULL,
      clicks bigint NOT NULL DEFAULT 0,
      leads bigint NOT NULL DEFAULT 0,
      sales bigint NOT NULL DEFAULT 0,
      revenue bigint NOT NULL DEFAULT 0,
      breakdown jsonb NOT NULL,
      PRIMARY KEY (workspace_id, link_id, bucket, bot, partner_id)
    ) WITH (fillfactor = 80)`);
    // Top links/partners of a whole workspace read the partial days at a range's ends here.
    await q.query('CREATE INDEX IF NOT EXISTS link_rollups_workspace_bucket ON link_rollups (workspace_id, bucket)');
    // Reports filtered by partner only read that partner's rows.
    await q.query(`CREATE INDEX IF NOT EXISTS link_rollups_partner ON link_rollups (workspace_id, partner_id, bucket)
      WHERE partner_id <> '${ZERO_ID}'`);
    // Sums two breakdowns {dimension: {value: [clicks, leads, sales, revenue] or clicks}} value by value.
    await q.query(`CREATE OR REPLACE FUNCTION rollup_breakdown_merge(a jsonb, b jsonb) RETURNS jsonb
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(jsonb_object_agg(dimension, counts), '{}'::jsonb)
        FROM (
          SELECT dimension,
                 jsonb_object_agg(value, CASE WHEN c1 = 0 AND c2 = 0 AND c3 = 0 THEN to_jsonb(c0) ELSE jsonb_build_array(c0, c1, c2, c3) END) AS counts
          FROM (
            SELECT d.key AS dimension, v.key AS value,
                   sum(coalesce(v.value->>0, v.value#>>'{}')::bigint) AS c0, coalesce(sum((v.value->>1)::bigint), 0) AS c1,
                   coalesce(sum((v.value->>2)::bigint), 0) AS c2, coalesce(sum((v.value->>3)::bigint), 0) AS c3
            FROM (SELECT * FROM jsonb_each(a) UNION ALL SELECT * FROM jsonb_each(b)) AS d, jsonb_each(d.value) AS v
            GROUP BY 1, 2
          ) AS per_value
          GROUP BY 1
        ) AS per_dimension
      $$`);

    // Conversions that arrived before their click was ingested; applied once it is.
    await q.query(`CREATE TABLE IF NOT EXISTS pending_conversions (
      event_id text PRIMARY KEY,
      click_id text NOT NULL,
      workspace_id uuid NOT NULL,
      event jsonb NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('CREATE INDEX IF NOT EXISTS pending_conversions_click ON pending_conversions (click_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['pending_conversions', 'link_rollups', 'rollups', 'clicks', 'click_ids']) await q.query(`DROP TABLE IF EXISTS ${table}`);
    await q.query('DROP FUNCTION IF EXISTS rollup_breakdown_merge(jsonb, jsonb)');
  }
}

/**
 * The collection of each link (projected from links.v1): reports filtered by collection read the
 * link rollups of its links (link_id IN …, by the second index).
 */
export class AddLinkCollections1740000000000 implements MigrationInterface {
  name = 'AddLinkCollections1740000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS link_collections (
      link_id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL,
      collection_id uuid NOT NULL,
      version bigint NOT NULL
    )`);
    await q.query('CREATE INDEX IF NOT EXISTS link_collections_collection ON link_collections (workspace_id, collection_id, link_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS link_collections');
  }
}

/**
 * Once-per-database jobs (backfills) and where each stands: a restart resumes from `cursor`, and
 * `done` stops it for good.
 */
export class AddBackfills1750000000000 implements MigrationInterface {
  name = 'AddBackfills1750000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS backfills (
      name text PRIMARY KEY,
      cursor text NULL,
      done boolean NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS backfills');
  }
}

/** processed_events (for claimUnprocessed) comes with the outbox migration of @hop/events; the outbox table stays unused. */
export const MIGRATIONS: MigrationClass[] = [CreateOutbox1700000000000, CreateAnalytics1710000000000, AddLinkCollections1740000000000, AddBackfills1750000000000];
