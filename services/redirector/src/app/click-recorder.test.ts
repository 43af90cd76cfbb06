import { validateEvent } from '@hop/events';
import type { RecordedClick } from '../domain/click';
import type { Route } from '../domain/route';
import { clickMessage } from '../infra/click-message';
import { createClickRecorder, ipHasher, requestUtm } from './click-recorder';

const route: Route = {
  linkId: '6f1c1c3e-4f7b-4a51-9d2a-3b8b0f3c0a11',
  shortId: 'abc',
  workspaceId: '0b0c1a56-8f5e-4c1a-9a47-2f3c4d5e6f70',
  url: 'https://dest.example/',
  utm: { source: 'nl', medium: null, referral: '' },
  redirectType: 302,
  active: true,
  cloaked: false,
  hideReferrer: false,
  version: 1,
};

describe('click recorder', () => {
  const published: RecordedClick[] = [];
  const recorder = createClickRecorder({ hashIp: ipHasher('unit-test-secret-123'), sink: { publish: (c) => published.push(c) }, now: () => new Date('2030-01-01T00:00:00Z') });
  const base = { route, trigger: 'link' as const, qr: false, bot: false, country: null, city: null, visitorId: null };

  it('produces events that satisfy the clicks.v1 schema, even from oversized visitor input', () => {
    const click = recorder.record({
      ...base,
      destination: `https://dest.example/?q=${'x'.repeat(10_000)}`,
      referrer: `https://ref.example/${'y'.repeat(5_000)}`,
      userAgent: 'z'.repeat(5_000),
      ip: '2001:db8::1',
    });
    expect(click.destination).toHaveLength(4096);
    expect(click.referrer).toHaveLength(1024);
    expect(click.userAgent).toHaveLength(1024);
    const message = clickMessage(click);
    expect(message.key).toBe(route.linkId);
    const event = validateEvent('clicks', JSON.parse(message.value));
    expect(event).toMatchObject({ id: click.clickId, workspaceId: route.workspaceId, occurredAt: '2030-01-01T00:00:00.000Z' });
    expect(event.data).toMatchObject({ utm: { source: 'nl' }, timestamp: '2030-01-01T00:00:00.000Z' });
  });

  it('hashes the IP with the secret (stable per IP, different per secret) and keeps ids unique', () => {
    const a = recorder.record({ ...base, destination: null, referrer: null, userAgent: null, ip: '203.0.113.7' });
    const b = recorder.record({ ...base, destination: null, referrer: null, userAgent: null, ip: '203.0.113.7' });
    expect(a.ipHash).toBe(b.ipHash);
    expect(a.ipHash).not.toBe(ipHasher('another-secret-4567')('203.0.113.7'));
    expect(a.clickId).not.toBe(b.clickId);
    expect(recorder.record({ ...base, destination: null, referrer: null, userAgent: null, ip: null }).ipHash).toBeNull();
  });

  it('reads the request utm (utm_* and ref)', () => {
    expect(requestUtm(new URLSearchParams('utm_source=a&utm_term=b&ref=c&other=d'))).toEqual({ source: 'a', term: 'b', referral: 'c' });
    expect(requestUtm(new URLSearchParams('other=d'))).toBeNull();
    expect(requestUtm(null)).toBeNull();
  });
});
