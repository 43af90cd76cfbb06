import { randomUUID } from 'node:crypto';
import { attributeLead } from '../domain/attribution';
import { customerSummary, type Caller } from '../domain/model';
import { ConversionStore } from '../infra/conversion-store';
import { attributionSources, committed, enqueueConversion, linkOf, upsertCustomer, type ConversionDeps, type CustomerFields } from './deps';

export interface TrackLeadInput extends CustomerFields {
  /** "" = deferred: the click of the customer's most recent lead. */
  clickId: string;
  eventName: string;
  metadata?: Record<string, unknown> | null;
}

/** Records a lead, upserting its customer; the lead.created event is committed with it. */
export async function trackLead(deps: ConversionDeps, caller: Caller, input: TrackLeadInput) {
  const attribution = await attributeLead(input, attributionSources(deps, caller, input.customerExternalId));
  const link = await linkOf(deps, caller, attribution);
  const metadata = input.metadata ?? null;
  const at = new Date();
  const customer = await deps.db.transaction(async (manager) => {
    const store = new ConversionStore(manager, caller.workspaceId);
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
    await enqueueConversion(manager, caller, 'lead.created', { leadId, customer, attribution, eventName: input.eventName, metadata, at });
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
