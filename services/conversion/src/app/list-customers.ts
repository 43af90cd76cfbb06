import type { DataSource } from '@hop/db';
import { customerListItem, type Caller } from '../domain/model';
import { ConversionStore, type CustomerFilter } from '../infra/conversion-store';

export async function listCustomers(db: DataSource, caller: Caller, filter: CustomerFilter) {
  const [customers, total] = await new ConversionStore(db.manager, caller.workspaceId).listCustomers(filter);
  return { items: customers.map(customerListItem), total };
}
