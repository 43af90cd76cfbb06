import type { WebhookEvent } from './events';
import { signingSecrets, wants, type Subscription } from './subscription';

const at = new Date('2026-01-01T00:00:00Z');
const subscription = (overrides: Partial<Subscription> = {}): Subscription => ({
  id: 's',
  workspaceId: 'w',
  name: 'n',
  url: 'https://r.example/',
  events: ['link.clicked'],
  collectionIds: [],
  linkIds: [],
  active: true,
  disabledReason: null,
  secret: 'whsec_new',
  previousSecret: null,
  previousSecretExpiresAt: null,
  createdAt: at,
  updatedAt: at,
  ...overrides,
});
const event = (overrides: Partial<WebhookEvent> = {}): WebhookEvent => ({
  id: 'e',
  type: 'link.clicked',
  workspaceId: 'w',
  occurredAt: new Date(at.getTime() + 1),
  linkId: 'l1',
  collectionId: 'c1',
  data: {},
  ...overrides,
});

describe('wants', () => {
  it('takes the types it asked for, from its creation on', () => {
    expect(wants(subscription(), event())).toBe(true);
    expect(wants(subscription(), event({ type: 'link.created' }))).toBe(false);
    expect(wants(subscription(), event({ occurredAt: new Date(at.getTime() - 1) }))).toBe(false);
  });

  it('applies the link and collection filters together; an event without a link passes neither', () => {
    expect(wants(subscription({ linkIds: ['l1'] }), event())).toBe(true);
    expect(wants(subscription({ linkIds: ['l2'] }), event())).toBe(false);
    expect(wants(subscription({ collectionIds: ['c1'] }), event())).toBe(true);
    expect(wants(subscription({ collectionIds: ['c1'], linkIds: ['l2'] }), event())).toBe(false);
    expect(wants(subscription({ collectionIds: ['c1'] }), event({ collectionId: null }))).toBe(false);
  });
});

describe('signingSecrets', () => {
  it('signs with the previous secret too until its grace period ends', () => {
    const rotated = { secret: 'whsec_new', previousSecret: 'whsec_old', previousSecretExpiresAt: new Date(at.getTime() + 1000) };
    expect(signingSecrets(rotated, at)).toEqual(['whsec_new', 'whsec_old']);
    expect(signingSecrets(rotated, new Date(at.getTime() + 1000))).toEqual(['whsec_new']);
  });
});
