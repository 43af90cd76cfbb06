import type { DataSource, EntityManager } from 'typeorm';

/**
 * The rows a statement returned. TypeORM answers UPDATE and DELETE (with RETURNING) as
 * `[rows, affectedCount]` but other statements as the rows themselves; this evens that out.
 */
export async function queryRows(db: DataSource | EntityManager, sql: string, params: unknown[]): Promise<Record<string, any>[]> {
  const result: unknown = await db.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return Array.isArray(result) ? result : [];
}
