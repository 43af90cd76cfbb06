import { DomainError } from '@hop/errors';
import { WorkspaceTable, type TableSpec } from '@hop/db';
import { enqueueEvents, type OutboxRelay } from '@hop/events';
import type { DataSource } from 'typeorm';
import type { Outbox, ResourceAccess } from '../app/ports';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/** Opens a table's workspace view; writes run in a transaction whose events go to the catalog outbox. */
export class TableAccess<R extends W, W extends { id: string }> implements ResourceAccess<R, W> {
  constructor(
    private readonly db: DataSource,
    private readonly spec: TableSpec<R>,
    private readonly relay?: OutboxRelay,
  ) {}

  read(workspaceId: string): WorkspaceTable<R, W> {
    return new WorkspaceTable<R, W>(this.db.manager, this.spec, workspaceId);
  }

  async write<T>(workspaceId: string, work: (store: WorkspaceTable<R, W>, outbox: Outbox) => Promise<T>): Promise<T> {
    let enqueued = false;
    const result = await this.db
      .transaction((manager) => {
        const outbox: Outbox = {
          enqueue: async (events) => {
            const keys = new Map(events.map((e) => [e.event.id, e.key]));
            await enqueueEvents(manager, 'catalog', events.map((e) => e.event), (e) => keys.get(e.id) as string);
            enqueued ||= events.length > 0;
          },
        };
        return work(new WorkspaceTable<R, W>(manager, this.spec, workspaceId), outbox);
      })
      .catch((err: unknown) => {
        throw this.translate(err);
      });
    if (enqueued) this.relay?.wake();
    return result;
  }

  /** A concurrent write that took the same name first surfaces as the unique index's violation. */
  private translate(err: unknown): unknown {
    const pg = (err as { driverError?: PgError }).driverError ?? (err as PgError);
    const unique = this.spec.uniqueName;
    if (!unique || pg?.code !== '23505' || pg.constraint !== unique.index) return err;
    const name = /=\([^,]+, (.*)\) already exists/.exec(pg.detail ?? '')?.[1] ?? '';
    return new DomainError('DUPLICATE_NAME', { params: { resource: unique.resource, name } });
  }
}
