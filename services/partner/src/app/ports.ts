import type { Partner, PartnerFields } from '../domain/partner';

export interface ListOptions {
  ids?: string[];
  take: number;
  skip: number;
  sort: 'asc' | 'desc';
}

/** One workspace's live (not deleted) partners. */
export interface PartnerStore {
  list(options: ListOptions): Promise<{ items: Partner[]; total: number }>;
  existingIds(ids: string[]): Promise<string[]>;
  /** The partners among `ids`, locked for the rest of the transaction. */
  lockByIds(ids: string[]): Promise<Partner[]>;
  insert(rows: PartnerFields[]): Promise<Partner[]>;
  update(rows: PartnerFields[]): Promise<Partner[]>;
  /** Soft-deletes the live partners among `ids`; returns the ids it deleted. */
  softDelete(ids: string[]): Promise<string[]>;
}

export interface PartnerAccess {
  read(workspaceId: string): PartnerStore;
  /** Runs `work` in one transaction: all of it commits, or none of it does. */
  write<T>(workspaceId: string, work: (store: PartnerStore) => Promise<T>): Promise<T>;
}
