import { randomUUID } from 'node:crypto';
import { attributeLead } from '../domain/attribution';
import { customerSummary, type Caller, type CustomerFields } from '../domain/model';
import { attributionSources, linkOf } from './attribution-sources';
import type { ConversionPorts } from './ports';
import { committed, enqueueConversion, upsertCustomer } from './record-conversion';

export interface TrackLeadInput extends CustomerFields {
  /** "" = deferred: the click of the customer's most recent lead. */
  clickId: string;
  eventName: string;
  metadata?: Record<string, unknown> | null;
}

/** Records a lead, upserting its customer; the lead.created event is committed with it. */
export async function trackLead(deps: ConversionPorts, caller: Caller, input: TrackLeadInput) {
  const attribution = await attributeLead(input, attributionSources(deps, caller, input.customerExternalId));
  const link = await linkOf(deps, caller, attribution);
  const metadata = input.metadata ?? null;
  const at = new Date();
  const customer = await deps.store.write(caller.workspaceId, async (store, outbox) => {
    const customer = await upsertCustomer(store, input);
    const leadId = randomUUID();
    await store.insertLead({
      id: leadId,
      customerId: customer.id,
      clickId: attribution.clickId,
      linkId: attribution.linkId,
      partnerId: attribution.partnerId,
      eventName: input.eventName,
      metadata,
      createdAt: at,
    });
    await enqueueConversion(outbox, caller, { type: 'lead.created', leadId, customer, attribution, eventName: input.eventName, metadata, at });
    return customer;
  });
  committed(deps, 'lead');
  return {
    click: { id: attribution.clickId },
    link,
    lead: { eventName: input.eventName, metadata },
    customer: customerSummary(customer),
  };
}
