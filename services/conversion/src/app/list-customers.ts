import { customerListItem, type Caller } from '../domain/model';
import type { ConversionPorts, CustomerFilter } from './ports';

/** GET /api/customers: a page of the workspace's customers and how many match. */
export async function listCustomers(deps: Pick<ConversionPorts, 'store'>, caller: Caller, filter: CustomerFilter) {
  const [customers, total] = await deps.store.read(caller.workspaceId).listCustomers(filter);
  return { items: customers.map(customerListItem), total };
}
