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
