import type { Attribution, AttributionSources } from '../domain/attribution';
import type { Caller } from '../domain/model';
import type { ConversionPorts } from './ports';

/** Where attribution finds a customer's click and leads: the click directory and the workspace's store. */
export function attributionSources(deps: Pick<ConversionPorts, 'store' | 'clicks'>, caller: Caller, customerExternalId: string): AttributionSources {
  const store = deps.store.read(caller.workspaceId);
  return {
    findClick: (clickId) => deps.clicks.find(caller, clickId),
    findLead: (eventName) => store.latestLead(customerExternalId, eventName),
  };
}

/** The link of an attribution; null only if the link service no longer knows it. */
export const linkOf = (deps: Pick<ConversionPorts, 'links'>, caller: Caller, attribution: Attribution) => deps.links.get(caller, attribution.linkId);
