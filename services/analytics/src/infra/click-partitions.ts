import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '@hop/telemetry';
import type { ClickPartitions as ClickPartitionsPort } from '../app/ports';

/** Arbitrary constant: serialises partition changes of several instances. */
const PARTITION_LOCK = 0x636c6b;
/** Partitions are created ahead for this many months after the current one. */
const MONTHS_AHEAD = 2;
/** Clicks older than this (or further ahead than MONTHS_AHEAD) land in the default partition. */
const MONTHS_BACK = 60;

const monthIndex = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();
const monthStart = (index: number) => new Date(Date.UTC(Math.floor(index / 12), index % 12, 1));
const partitionName = (index: number) => `clicks_${Math.floor(index / 12)}_${String((index % 12) + 1).padStart(2, '0')}`;

/**
 * Monthly partitions of `clicks`: the current month and the next ones are created at start-up and
 * daily; ingest also asks for the months of the clicks it is about to write (late or replayed
 * clicks). Rows that reached the default partition before their month's partition existed are moved
 * into it when it is created. Optionally drops months older than the retention (rollups are kept).
 */
export class ClickPartitions implements ClickPartitionsPort {
  private readonly known = new Set<number>();

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger,
    private readonly retentionMonths: number,
  ) {}

  async maintain(now = new Date()): Promise<void> {
    const current = monthIndex(now);
    for (let m = current; m <= current + MONTHS_AHEAD; m++) await this.ensure(m);
    if (this.retentionMonths > 0) await this.dropBefore(current - this.retentionMonths + 1);
  }

  /** Makes sure the months of these instants have partitions (within the window kept apart from default). */
  async ensureFor(instants: Date[], now = new Date()): Promise<void> {
    const current = monthIndex(now);
    const months = new Set(instants.map(monthIndex));
    for (const m of months) {
      if (m >= current - MONTHS_BACK && m <= current + MONTHS_AHEAD && !this.known.has(m)) await this.ensure(m);
    }
  }

  private async ensure(month: number): Promise<void> {
    const name = partitionName(month);
    await this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      const [{ exists }] = await manager.query<{ exists: boolean }[]>('SELECT to_regclass($1) IS NOT NULL AS exists', [name]);
      if (!exists) await this.create(manager, name, monthStart(month), monthStart(month + 1));
    });
    this.known.add(month);
  }

  private async create(manager: EntityManager, name: string, from: Date, to: Date): Promise<void> {
    const bounds = `FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`;
    await manager.query(`CREATE TABLE ${name} (LIKE clicks INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    const moved: { n: number }[] = await manager.query(
      `WITH moved AS (DELETE FROM clicks_default WHERE created_at >= $1 AND created_at < $2 RETURNING *),
            copied AS (INSERT INTO ${name} SELECT * FROM moved RETURNING 1)
       SELECT count(*)::int AS n FROM copied`,
      [from, to],
    );
    await manager.query(`ALTER TABLE clicks ATTACH PARTITION ${name} FOR VALUES ${bounds}`);
    this.logger.info({ partition: name, movedFromDefault: moved[0].n }, 'click partition created');
  }

  private async dropBefore(month: number): Promise<void> {
    const cutoff = monthStart(month);
    await this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      const partitions: { name: string }[] = await manager.query(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'clicks'::regclass AND c.relname ~ '^clicks_[0-9]{4}_[0-9]{2}$'`,
      );
      const old = partitions.map((p) => p.name).filter((n) => n < partitionName(month));
      if (!old.length) return;
      for (const name of old) await manager.query(`DROP TABLE ${name}`);
      await manager.query('DELETE FROM clicks_default WHERE created_at < $1', [cutoff]);
      await manager.query('DELETE FROM click_ids WHERE created_at < $1', [cutoff]);
      this.logger.info({ dropped: old, before: cutoff.toISOString() }, 'old click partitions dropped');
    });
    for (const m of [...this.known]) if (m < month) this.known.delete(m);
  }
}
