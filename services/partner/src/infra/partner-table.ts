import { TIMESTAMP_COLUMNS, WorkspaceTable, type TableSpec } from '@hop/db';
import type { DataSource } from 'typeorm';
import type { Partner, PartnerFields } from '../domain/partner';
import type { PartnerAccess, PartnerStore } from '../app/ports';

/** Partners are soft-deleted (links keep their partnerId); ids are UUIDv7, so id order is creation order. */
export const PARTNERS_TABLE: TableSpec<Partner> = {
  table: 'partners',
  writable: [
    { field: 'name', column: 'name', type: 'text' },
    { field: 'email', column: 'email', type: 'text' },
    { field: 'phone', column: 'phone', type: 'text' },
  ],
  readOnly: [...TIMESTAMP_COLUMNS],
  softDelete: true,
  orderBy: ['created_at', 'id'],
};

/** One workspace's partners, outside or inside a transaction. */
export class PartnerTableAccess implements PartnerAccess {
  constructor(private readonly db: DataSource) {}

  read(workspaceId: string): PartnerStore {
    return new WorkspaceTable<Partner, PartnerFields>(this.db.manager, PARTNERS_TABLE, workspaceId);
  }

  write<T>(workspaceId: string, work: (store: PartnerStore) => Promise<T>): Promise<T> {
    return this.db.transaction((manager) => work(new WorkspaceTable<Partner, PartnerFields>(manager, PARTNERS_TABLE, workspaceId)));
  }
}
