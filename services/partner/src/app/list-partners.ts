import type { Partner } from '../domain/partner';
import type { ListOptions, PartnerAccess } from './ports';

export function listPartners(access: PartnerAccess, workspaceId: string, options: ListOptions): Promise<{ items: Partner[]; total: number }> {
  return access.read(workspaceId).list(options);
}
