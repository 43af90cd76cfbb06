import { randomUUID } from 'node:crypto';
import { newEvent } from '@hop/events';
import { metrics } from '@hop/telemetry';
import type { Attribution } from '../domain/attribution';
import { customerSummary, profileOf, type Caller, type Customer, type CustomerFields } from '../domain/model';
import type { ConversionPorts, ConversionStore, Outbox } from './ports';

const tracked = metrics.counter('hop_conversions_tracked_total', 'Lead and sale events recorded', ['type']);

/** Upserts the customer inside the caller's transaction (a fresh id is used only if it is new). */
export const upsertCustomer = (store: ConversionStore, input: CustomerFields) => store.upsertCustomer(randomUUID(), profileOf(input));

/**
 * Queues a lead.created / sale.created event in the caller's transaction; it reaches
 * conversions.v1 (keyed by customer) through the outbox.
 */
export async function enqueueConversion(
  outbox: Outbox,
  caller: Caller,
  fields: {
    customer: Customer;
    attribution: Attribution;
    eventName: string;
    metadata: Record<string, unknown> | null;
    at: Date;
  } & ({ type: 'lead.created'; leadId: string } | { type: 'sale.created'; saleId: string; amount: number; currency: string }),
): Promise<void> {
  const { customer, attribution, at, ...rest } = fields;
  const common = {
    customerId: customer.id,
    customerExternalId: customer.externalId,
    customer: customerSummary(customer),
    clickId: attribution.clickId,
    linkId: attribution.linkId,
    partnerId: attribution.partnerId,
    timestamp: at.toISOString(),
  };
  const event =
    rest.type === 'lead.created'
      ? newEvent('lead.created', caller.workspaceId, { leadId: rest.leadId, eventName: rest.eventName, metadata: rest.metadata, ...common }, at)
      : newEvent('sale.created', caller.workspaceId, { saleId: rest.saleId, amount: rest.amount, currency: rest.currency, eventName: rest.eventName, metadata: rest.metadata, ...common }, at);
  await outbox.enqueue([event], () => customer.id);
}

/** After the commit: publish promptly, count. */
export function committed(deps: Pick<ConversionPorts, 'eventsCommitted'>, kind: 'lead' | 'sale'): void {
  deps.eventsCommitted();
  tracked.inc({ type: kind });
}
