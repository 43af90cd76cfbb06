import type { DataSource, EntityManager } from 'typeorm';

/**
 * The rows a raw SQL statement returned, typed as its SELECT list or RETURNING clause produces
 * them (TypeORM's `query` answers `any`). TypeORM answers UPDATE and DELETE as
 * `[rows, affectedCount]` but other statements as the rows themselves; this evens that out.
 */
export async function queryRows<T>(db: DataSource | EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await db.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return Array.isArray(result) ? (result as T[]) : [];
}

interface PreparingPool {
  query<T>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }>;
}

/**
 * The rows of `sql` run as the named prepared statement `name`, outside any transaction: each pool
 * connection parses and plans it once, where TypeORM's `query` sends it unnamed (parsed and
 * planned on every call, and a query runner taken from the pool and given back around it). For
 * statements a hot path runs many times with few rows each; one name per SQL text.
 */
export async function preparedRows<T>(db: DataSource, name: string, sql: string, params: unknown[]): Promise<T[]> {
  // TypeORM's PostgreSQL driver keeps its pg Pool as `master`.
  const pool = (db.driver as unknown as { master: PreparingPool }).master;
  return (await pool.query<T>({ name, text: sql, values: params })).rows;
}
