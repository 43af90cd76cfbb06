import 'reflect-metadata';
import { Client } from 'pg';
import {
  DataSource,
  type EntityManager,
  type EntitySchema,
  type FindManyOptions,
  type FindOptionsWhere,
  type MigrationInterface,
  type ObjectLiteral,
  type Repository,
  type SelectQueryBuilder,
} from 'typeorm';
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

export interface WorkspaceOwned {
  workspaceId: string;
}

/**
 * A repository bound to one workspace: every read and write it offers adds the workspace id,
 * so a query that forgets it cannot be written through this type.
 */
export class WorkspaceRepository<E extends ObjectLiteral & WorkspaceOwned> {
  constructor(
    private readonly repository: Repository<E>,
    readonly workspaceId: string,
  ) {}

  static of<E extends ObjectLiteral & WorkspaceOwned>(
    manager: EntityManager,
    entity: { new (): E } | EntitySchema<E>,
    workspaceId: string,
  ): WorkspaceRepository<E> {
    if (!workspaceId) throw new Error('workspaceId is required');
    return new WorkspaceRepository(manager.getRepository(entity), workspaceId);
  }

  private scope(where?: FindOptionsWhere<E> | FindOptionsWhere<E>[]): FindOptionsWhere<E>[] | FindOptionsWhere<E> {
    const ws = { workspaceId: this.workspaceId } as FindOptionsWhere<E>;
    if (Array.isArray(where)) return where.length ? where.map((w) => ({ ...w, ...ws })) : ws;
    return { ...(where ?? {}), ...ws };
  }

  find(options: FindManyOptions<E> = {}): Promise<E[]> {
    return this.repository.find({ ...options, where: this.scope(options.where) });
  }

  findAndCount(options: FindManyOptions<E> = {}): Promise<[E[], number]> {
    return this.repository.findAndCount({ ...options, where: this.scope(options.where) });
  }

  findOneBy(where: FindOptionsWhere<E>): Promise<E | null> {
    return this.repository.findOneBy(this.scope(where));
  }

  count(where?: FindOptionsWhere<E> | FindOptionsWhere<E>[]): Promise<number> {
    return this.repository.countBy(this.scope(where));
  }

  /** A query builder that already filters on the workspace; add conditions with andWhere. */
  queryBuilder(alias: string): SelectQueryBuilder<E> {
    return this.repository
      .createQueryBuilder(alias)
      .where(`${alias}.workspaceId = :scopeWorkspaceId`, { scopeWorkspaceId: this.workspaceId });
  }

  create(values: Omit<Partial<E>, 'workspaceId'>): E {
    return this.repository.create({ ...values, workspaceId: this.workspaceId } as unknown as E);
  }

  save(entities: E[]): Promise<E[]> {
    for (const e of entities) {
      if (e.workspaceId !== this.workspaceId) throw new Error('entity belongs to another workspace');
    }
    return this.repository.save(entities);
  }

  async update(where: FindOptionsWhere<E>, values: Partial<E>): Promise<number> {
    const result = await this.repository.update(this.scope(where), values);
    return result.affected ?? 0;
  }

  async delete(where: FindOptionsWhere<E>): Promise<number> {
    const result = await this.repository.delete(this.scope(where));
    return result.affected ?? 0;
  }
}

export { DataSource, type EntityManager };
export * from './query-rows';
export * from './workspace-table';
