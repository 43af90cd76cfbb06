import type { DataSource } from 'typeorm';
import type { BackfillProgress, Backfills } from '../app/ports';

/** Backfill state in table backfills; the lock is a session advisory lock, freed if the instance dies. */
export class BackfillStore implements Backfills {
  constructor(private readonly db: DataSource) {}

  async exclusive<T>(name: string, work: () => Promise<T>): Promise<T | null> {
    const session = this.db.createQueryRunner();
    await session.connect();
    try {
      const [{ locked }] = (await session.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`hop backfill ${name}`])) as { locked: boolean }[];
      if (!locked) return null;
      try {
        return await work();
      } finally {
        await session.query('SELECT pg_advisory_unlock(hashtext($1))', [`hop backfill ${name}`]);
      }
    } finally {
      await session.release();
    }
  }

  async progress(name: string): Promise<BackfillProgress> {
    const [row]: { cursor: string | null; done: boolean }[] = await this.db.query('SELECT cursor, done FROM backfills WHERE name = $1', [name]);
    return row ?? { cursor: null, done: false };
  }

  async save(name: string, progress: BackfillProgress): Promise<void> {
    await this.db.query(
      `INSERT INTO backfills (name, cursor, done, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (name) DO UPDATE SET cursor = EXCLUDED.cursor, done = EXCLUDED.done, updated_at = EXCLUDED.updated_at`,
      [name, progress.cursor, progress.done],
    );
  }
}
