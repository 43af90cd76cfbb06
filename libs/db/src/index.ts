import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource, type EntityManager, type MigrationInterface } from 'typeorm';
import type { Logger } from '@hop/telemetry';

/** A TypeORM entity class (TypeORM itself types these as `Function`). */
export type EntityClass = abstract new (...args: never[]) => object;
/** A migration class, run in name order under an advisory lock. */
export type MigrationClass = new () => MigrationInterface;

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  /** The service's TypeORM entities; empty for a service whose stores use raw SQL (queryRows). */
  entities: EntityClass[];
  migrations: MigrationClass[];
  logger?: Logger;
}

/** Creates the database named in `url` when it does not exist yet (safe if several processes race). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`Unsupported database name: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"`).catch((e: { code?: string }) => {
        if (e.code !== '42P04' && e.code !== '23505') throw e; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}

/** Arbitrary constant: serialises migration runs of several instances starting at once. */
const MIGRATION_LOCK = 0x486f70;

/**
 * Opens a service's own database: creates it if missing and runs pending migrations (never
 * `synchronize`). Migrations run under an advisory lock, so concurrent starts are safe.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  await ensureDatabase(options.url);
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    extra: { max: options.poolSize ?? 10 },
  });
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) options.logger?.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  } finally {
    await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
  return dataSource;
}

export const pingDatabase = (dataSource: DataSource) => dataSource.query('SELECT 1');

export { DataSource, type EntityManager };
export * from './query-rows';
export * from './workspace-table';
