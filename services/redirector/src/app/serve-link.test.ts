import { createHmac } from 'node:crypto';
import type { ClickInput, RecordedClick } from '../domain/click';
import type { Route } from '../domain/route';
import { createClickRecorder, ipHasher } from './click-recorder';
import { createServeLink, type AttemptLimiter, type LinkVisit } from './serve-link';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

function route(over: Partial<Route> = {}): Route {
  return {
    linkId: '6f1c1c3e-4f7b-4a51-9d2a-3b8b0f3c0a11',
    shortId: 'abc',
    workspaceId: '0b0c1a56-8f5e-4c1a-9a47-2f3c4d5e6f70',
    url: 'https://dest.example/page',
    redirectType: 302,
    active: true,
    cloaked: false,
    hideReferrer: false,
    version: 1,
    ...over,
  };
}

function hs256(password: string, salt = Buffer.from('0123456789abcdef')): string {
  return `hs256$${salt.toString('base64url')}$${createHmac('sha256', salt).update(password).digest('base64url')}`;
}

/** In-process limiter with the same contract as the Redis one. */
function memoryLimiter(max: number): AttemptLimiter & { failures: Map<string, number> } {
  const failures = new Map<string, number>();
  return {
    failures,
    blockedFor: async (key) => ((failures.get(key) ?? 0) >= max ? 60 : 0),
    recordFailure: async (key) => void failures.set(key, (failures.get(key) ?? 0) + 1),
    reset: async (key) => void failures.delete(key),
  };
}

function setup(r: Route | null, now = Date.parse('2030-01-01T00:00:00Z')) {
  const published: RecordedClick[] = [];
  const inputs: ClickInput[] = [];
  const recorder = createClickRecorder({ hashIp: ipHasher('unit-test-secret-123'), sink: { publish: (c) => published.push(c) } });
  const attempts = memoryLimiter(3);
  const serve = createServeLink({
    routes: { get: async (id) => (r && id === r.shortId ? r : null) },
    clicks: { issueId: recorder.issueId, record: (input) => (inputs.push(input), recorder.record(input)) },
    attempts,
    hashIp: ipHasher('unit-test-secret-123'),
    now: () => now,
  });
  const visit = (over: Partial<LinkVisit> = {}) =>
    serve({ shortId: 'abc', method: 'GET', query: null, userAgent: CHROME, referrer: null, ip: '203.0.113.9', geo: () => ({ country: 'FR', city: 'Paris' }), visitorId: 'v1', ...over });
  return { visit, published, attempts };
}

describe('serveLink', () => {
  it('redirects with the link status and records one click with the click id in the destination', async () => {
    const { visit, published } = setup(route({ redirectType: 301, utm: { source: 'nl' }, partnerId: '9a0e6c02-8f70-4b8e-bb3d-1a2b3c4d5e6f' }));
    const outcome = await visit({ query: new URLSearchParams('utm_campaign=visitor&x=1'), referrer: 'https://ref.example/' });
    expect(outcome.kind).toBe('redirect');
    if (outcome.kind !== 'redirect') return;
    expect(outcome.status).toBe(301);
    const location = new URL(outcome.location);
    expect(published).toHaveLength(1);
    const click = published[0];
    expect(location.searchParams.get('hoko_id')).toBe(click.clickId);
    expect(location.searchParams.get('utm_source')).toBe('nl');
    expect(location.searchParams.get('x')).toBe('1');
    expect(click).toMatchObject({
      linkId: '6f1c1c3e-4f7b-4a51-9d2a-3b8b0f3c0a11',
      shortId: 'abc',
      partnerId: '9a0e6c02-8f70-4b8e-bb3d-1a2b3c4d5e6f',
      destination: outcome.location,
      referrer: 'https://ref.example/',
      country: 'FR',
      city: 'Paris',
      qr: false,
      bot: false,
      trigger: 'link',
      visitorId: 'v1',
      utm: { source: 'nl' },
      requestUtm: { campaign: 'visitor' },
    });
    expect(click.ipHash).toMatch(/^[\w-]{32}$/);
    expect(JSON.stringify(click)).not.toContain('203.0.113.9');
  });

  it('answers unknown, paused and expired links without a click', async () => {
    expect((await setup(null).visit()).kind).toBe('not-found');
    const paused = setup(route({ active: false }));
    expect((await paused.visit()).kind).toBe('paused');
    const gone = setup(route({ expiresAt: '2029-12-31T23:59:59Z' }));
    expect((await gone.visit()).kind).toBe('gone');
    const moved = setup(route({ expiresAt: '2029-12-31T23:59:59Z', expiredUrl: 'https://expired.example/' }));
    expect(await moved.visit()).toEqual({ kind: 'expired-redirect', location: 'https://expired.example/' });
    const future = setup(route({ expiresAt: '2030-01-02T00:00:00Z' }));
    expect((await future.visit()).kind).toBe('redirect');
    expect([paused, gone, moved].every((s) => s.published.length === 0)).toBe(true);
  });

  it("serves on a branded domain only the routes of the domain's workspace", async () => {
    const s = setup(route());
    expect((await s.visit({ siteWorkspaceId: route().workspaceId })).kind).toBe('redirect');
    expect(await s.visit({ siteWorkspaceId: '9d1f0b7e-0000-4000-8000-000000000000' })).toEqual({ kind: 'not-found' });
    expect(s.published).toHaveLength(1);
  });

  it('marks ?qr=1 as a QR scan and HEAD or bots as bot clicks', async () => {
    const s = setup(route());
    await s.visit({ query: new URLSearchParams('qr=1') });
    await s.visit({ method: 'HEAD' });
    await s.visit({ userAgent: 'curl/8.5.0' });
    expect(s.published.map((c) => [c.qr, c.trigger, c.bot])).toEqual([
      [true, 'qr', false],
      [false, 'link', true],
      [false, 'link', true],
    ]);
  });

  it('gives social crawlers the preview and never counts them', async () => {
    const withPreview = setup(route({ title: 'Hello' }));
    expect(await withPreview.visit({ userAgent: 'Twitterbot/1.0' })).toEqual({ kind: 'preview', preview: { title: 'Hello', description: null, image: null } });
    const bare = setup(route());
    expect((await bare.visit({ userAgent: 'Twitterbot/1.0' })).kind).toBe('redirect');
    expect(withPreview.published.length + bare.published.length).toBe(0);
  });

  it('asks for the password, rejects wrong ones without a click, locks after too many, and redirects with 303 on the right one', async () => {
    const s = setup(route({ passwordHash: hs256('open sesame') }));
    expect(await s.visit()).toEqual({ kind: 'password', problem: null });
    expect(await s.visit({ method: 'POST', password: 'nope' })).toEqual({ kind: 'password', problem: 'wrong' });
    const right = await s.visit({ method: 'POST', password: 'open sesame' });
    expect(right).toMatchObject({ kind: 'redirect', status: 303 });
    expect(s.published).toHaveLength(1);
    for (let i = 0; i < 3; i++) await s.visit({ method: 'POST', password: 'nope' });
    expect(await s.visit({ method: 'POST', password: 'open sesame' })).toEqual({ kind: 'password', problem: 'locked', retryAfterS: 60 });
    expect((await s.visit({ method: 'POST', password: 'open sesame', ip: '198.51.100.1' })).kind).toBe('redirect');
    expect(s.published).toHaveLength(2);
  });

  it('cloaks and hides the referrer, still counting the click', async () => {
    const cloaked = setup(route({ cloaked: true }));
    expect((await cloaked.visit()).kind).toBe('cloak');
    const hidden = setup(route({ hideReferrer: true }));
    expect((await hidden.visit()).kind).toBe('hide-referrer');
    expect(cloaked.published.length + hidden.published.length).toBe(2);
  });

  it('targets devices and countries', async () => {
    const s = setup(route({ ios: 'https://apps.apple.example/app', geo: { FR: 'https://fr.example/' } }));
    const ios = await s.visit({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1' });
    const fr = await s.visit();
    const other = await s.visit({ geo: () => ({ country: 'DE', city: null }) });
    const hosts = [ios, fr, other].map((o) => (o.kind === 'redirect' ? new URL(o.location).host : o.kind));
    expect(hosts).toEqual(['apps.apple.example', 'fr.example', 'dest.example']);
  });
});
