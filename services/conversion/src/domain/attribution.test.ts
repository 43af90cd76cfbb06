import { DomainError } from '@hop/errors';
import { attributeLead, attributeSale, type AttributionSources } from './attribution';
import type { ClickRef, Lead } from './model';

const click = (clickId: string): ClickRef => ({ clickId, linkId: `link-of-${clickId}`, partnerId: null });
const lead = (eventName: string, clickId: string): Lead => ({
  ...click(clickId),
  id: `lead-${eventName}`,
  customerId: 'customer',
  eventName,
  metadata: null,
  createdAt: new Date(),
});

/** A workspace with these clicks and this customer's leads (most recent last). */
function sources(clicks: string[], leads: Lead[]): AttributionSources & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    findClick: async (id) => {
      asked.push(`click:${id}`);
      return clicks.includes(id) ? click(id) : null;
    },
    findLead: async (eventName) => {
      asked.push(`lead:${eventName ?? '*'}`);
      return [...leads].reverse().find((l) => eventName === undefined || l.eventName === eventName) ?? null;
    },
  };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (e: DomainError) => `${e.code} ${JSON.stringify(e.options.params)}`,
  );

describe('attributeLead', () => {
  test('a clickId → that click, with no lead', async () => {
    expect(await attributeLead({ clickId: 'c1', customerExternalId: 'x' }, sources(['c1'], []))).toEqual({ ...click('c1'), leadId: null });
  });

  test('an unknown clickId → CLICK_NOT_FOUND naming it', async () => {
    expect(await codeOf(attributeLead({ clickId: 'c9', customerExternalId: 'x' }, sources(['c1'], [])))).toBe('CLICK_NOT_FOUND {"clickId":"c9"}');
  });

  test('deferred → the most recent lead, never a click lookup', async () => {
    const s = sources(['c1'], [lead('Sign up', 'c1'), lead('Trial', 'c2')]);
    expect(await attributeLead({ clickId: '', customerExternalId: 'x' }, s)).toEqual({ ...click('c2'), leadId: 'lead-Trial' });
    expect(s.asked).toEqual(['lead:*']);
  });

  test('deferred without a lead → NO_PRIOR_LEAD naming the customer', async () => {
    expect(await codeOf(attributeLead({ clickId: '', customerExternalId: 'cust_1' }, sources([], [])))).toBe(
      'NO_PRIOR_LEAD {"customerExternalId":"cust_1"}',
    );
  });
});

describe('attributeSale', () => {
  const leads = [lead('Sign up', 'c1'), lead('Trial', 'c2')];

  test('leadEventName first, without looking at the click', async () => {
    const s = sources(['c3'], leads);
    expect(await attributeSale({ leadEventName: 'Sign up', clickId: 'c3', customerExternalId: 'x' }, s)).toEqual({
      ...click('c1'),
      leadId: 'lead-Sign up',
    });
    expect(s.asked).toEqual(['lead:Sign up']);
  });

  test('then clickId', async () => {
    expect(await attributeSale({ leadEventName: 'Demo', clickId: 'c3', customerExternalId: 'x' }, sources(['c3'], leads))).toEqual({
      ...click('c3'),
      leadId: null,
    });
  });

  test('then the most recent lead', async () => {
    expect(await attributeSale({ leadEventName: 'Demo', customerExternalId: 'x' }, sources([], leads))).toEqual({
      ...click('c2'),
      leadId: 'lead-Trial',
    });
    expect(await attributeSale({ customerExternalId: 'x' }, sources([], leads))).toMatchObject({ leadId: 'lead-Trial' });
  });

  test('a given but unknown clickId is an error, not skipped', async () => {
    expect(await codeOf(attributeSale({ clickId: 'c9', customerExternalId: 'x' }, sources([], leads)))).toBe('CLICK_NOT_FOUND {"clickId":"c9"}');
  });

  test('nothing to attribute to → NO_ATTRIBUTION naming the customer', async () => {
    expect(await codeOf(attributeSale({ leadEventName: 'Sign up', customerExternalId: 'cust_2' }, sources(['c1'], [])))).toBe(
      'NO_ATTRIBUTION {"customerExternalId":"cust_2"}',
    );
  });
});
