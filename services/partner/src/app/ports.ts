import type { ResourceStore } from '@hop/db';
import type { Partner, PartnerFields } from '../domain/partner';

export type { ListOptions } from '@hop/db';

/** One workspace's live (not deleted) partners: rows of one table, as catalog's kinds are (libs/db). */
export type PartnerStore = ResourceStore<Partner, PartnerFields>;

export interface PartnerAccess {
  read(workspaceId: string): PartnerStore;
  /** Runs `work` in one transaction: all of it commits, or none of it does. */
  write<T>(workspaceId: string, work: (store: PartnerStore) => Promise<T>): Promise<T>;
}
