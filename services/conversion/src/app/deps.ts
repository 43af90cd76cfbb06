import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from '@hop/db';
import { enqueueEvents, newEvent } from '@hop/events';
import { metrics } from '@hop/telemetry';
import type { Attribution, AttributionSources } from '../domain/attribution';
import { customerSummary, type Caller, type ClickRef, type Customer, type CustomerProfile, type LinkObject } from '../domain/model';
import { ConversionStore } from '../infra/conversion-store';

export interface Clicks {
  find(caller: Caller, clickId: string): Promise<ClickRef | null>;
}

export interface Links {
  get(caller: Caller, linkId: string): Promise<LinkObject | null>;
}

/** What the use cases work with; wired in main.ts. */
export interface ConversionDeps {
  db: DataSource;
  clicks: Clicks;
  links: Links;
  /** Called after a transaction that enqueued events committed (wakes the outbox relay). */
  eventsCommitted: () => void;
}

/** The customer fields every tracking body carries. */
export interface CustomerFields {
  customerExternalId: string;
  customerName: string;
  customerEmail?: string | null;
  customerAvatar?: string | null;
}

export const profileOf = (input: CustomerFields): CustomerProfile => ({
  externalId: input.customerExternalId,
  name: input.customerName,
  email: input.customerEmail,
  avatar: input.customerAvatar,
});

export function attributionSources(deps: ConversionDeps, caller: Caller, customerExternalId: string): AttributionSources {
  const store = new ConversionStore(deps.db.manager, caller.workspaceId);
  return {
    findClick: (clickId) => deps.clicks.find(caller, clickId),
    findLead: (eventName) => store.latestLead(customerExternalId, eventName),
  };
}

/** The link of an attribution; null only if the link service no longer knows it. */
export const linkOf = (deps: ConversionDeps, caller: Caller, attribution: Attribution) => deps.links.get(caller, attribution.linkId);

const tracked = metrics.counter('hop_conversions_tracked_total', 'Lead and sale events recorded', ['type']);

/** Upserts the customer inside `manager`'s transaction (a fresh id is used only if it is new). */
export const upsertCustomer = (store: ConversionStore, input: CustomerFields) => store.upsertCustomer(randomUUID(), profileOf(input));

/**
 * Queues a lead.created / sale.created event in the caller's transaction; it reaches
 * conversions.v1 (keyed by customer) through the outbox.
 */
export async function enqueueConversion(
  manager: EntityManager,
  caller: Caller,
  type: 'lead.created' | 'sale.created',
  fields: {
    customer: Customer;
    attribution: Attribution;
    eventName: string;
    metadata: Record<string, unknown> | null;
    at: Date;
  } & ({ leadId: string } | { saleId: string; amount: number; currency: string }),
): Promise<void> {
  const { customer, attribution, at, ...rest } = fields;
  const data = {
    ...rest,
    customerId: customer.id,
    customerExternalId: customer.externalId,
    customer: customerSummary(customer),
    clickId: attribution.clickId,
    linkId: attribution.linkId,
    partnerId: attribution.partnerId,
    timestamp: at.toISOString(),
  };
  await enqueueEvents(manager, 'conversions', [newEvent(type, caller.workspaceId, data, at)], () => customer.id);
}

/** After the commit: publish promptly, count. */
export function committed(deps: ConversionDeps, kind: 'lead' | 'sale'): void {
  deps.eventsCommitted();
  tracked.inc({ type: kind });
}
