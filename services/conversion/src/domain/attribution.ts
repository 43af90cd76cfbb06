import { DomainError } from '@hop/errors';
import type { ClickRef, Lead } from './model';

/** A conversion's credit: the click (and so link and partner), and the lead it came through, if any. */
export interface Attribution extends ClickRef {
  leadId: string | null;
}

export interface AttributionSources {
  /** The click of this workspace with that id, or null. */
  findClick(clickId: string): Promise<ClickRef | null>;
  /** The customer's most recent lead (with that event name when given), or null. */
  findLead(eventName?: string): Promise<Lead | null>;
}

const fromLead = (lead: Lead): Attribution => ({
  clickId: lead.clickId,
  linkId: lead.linkId,
  partnerId: lead.partnerId,
  leadId: lead.id,
});

async function fromClick(clickId: string, sources: AttributionSources): Promise<Attribution> {
  const click = await sources.findClick(clickId);
  if (!click) throw new DomainError('CLICK_NOT_FOUND', { params: { clickId } });
  return { ...click, leadId: null };
}

/** A lead: its click, or for deferred tracking (clickId "") the click of the customer's most recent lead. */
export async function attributeLead(
  input: { clickId: string; customerExternalId: string },
  sources: AttributionSources,
): Promise<Attribution> {
  if (input.clickId) return fromClick(input.clickId, sources);
  const previous = await sources.findLead();
  if (!previous) throw new DomainError('NO_PRIOR_LEAD', { params: { customerExternalId: input.customerExternalId } });
  return fromLead(previous);
}

/**
 * A sale, in the documented order: the customer's lead named `leadEventName` → `clickId` →
 * the customer's most recent lead. A given clickId that is unknown is an error, not a skip.
 */
export async function attributeSale(
  input: { leadEventName?: string; clickId?: string; customerExternalId: string },
  sources: AttributionSources,
): Promise<Attribution> {
  if (input.leadEventName) {
    const named = await sources.findLead(input.leadEventName);
    if (named) return fromLead(named);
  }
  if (input.clickId) return fromClick(input.clickId, sources);
  const latest = await sources.findLead();
  if (!latest) throw new DomainError('NO_ATTRIBUTION', { params: { customerExternalId: input.customerExternalId } });
  return fromLead(latest);
}
