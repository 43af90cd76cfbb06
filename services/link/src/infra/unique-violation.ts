/** What PostgreSQL reports of a failed statement (pg's error, or TypeORM's wrapping it). */
interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  driverError?: PgError;
}

/**
 * The detail (`Key (…)=(…) already exists.`) of a unique violation (23505) of `constraint`, or
 * null when `err` is any other error: the stores turn such violations into the domain's errors.
 */
export function uniqueViolation(err: unknown, constraint: string): string | null {
  const e = (err ?? {}) as PgError;
  const pg = e.driverError ?? e;
  return pg.code === '23505' && pg.constraint === constraint ? (pg.detail ?? '') : null;
}
