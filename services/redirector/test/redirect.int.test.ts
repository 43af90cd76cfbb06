import { createHmac, randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { validateEvent } from '@hop/events';
import { TestInfra, eventually } from '@hop/testing';
import { loadLinkConfig } from '../../link/src/config';
import { start as startLink } from '../../link/src/main';
import {
  ANDROID,
  CHROME,
  IPHONE,
  clickIdOf,
  collectClicks,
  deleteRoute,
  newRoute,
  putRoute,
  request,
  startRedirector,
  type Redirector,
} from './helpers';

const hs256 = (password: string) => {
  const salt = randomBytes(16);
  return `hs256$${salt.toString('base64url')}$${createHmac('sha256', salt).update(password).digest('base64url')}`;
};

describe('redirector: link behaviours (routes in Redis, clicks in Kafka)', () => {
  const infra = new TestInfra();
  let redirector: Redirector;
  let link: Awaited<ReturnType<typeof startLink>>;
  let redis: Redis;
  let clicks: Awaited<ReturnType<typeof collectClicks>>;
  const put = (over: Parameters<typeof newRoute>[0] = {}) => putRoute(redis, infra.redisKeyPrefix, newRoute(over));
  const get = (path: string, headers: Record<string, string> = {}) => request(redirector.url, path, { headers });
  /** The click event for a redirect, once it reached Kafka. */
  const eventFor = (clickId: string | null) => eventually(() => clickId && clicks.byClickId(clickId)?.event);

  beforeAll(async () => {
    redis = infra.redis();
    // A long cache TTL: any change seen below comes from the invalidation channel, not expiry.
    // The real link service answers the lookups Redis misses (here: unknown short ids).
    link = await startLink(loadLinkConfig(infra.serviceEnv('link')));
    redirector = await startRedirector(infra, { LINK_URL: link.url, ROUTE_CACHE_TTL_MS: '600000', GEO_COUNTRY_HEADER: 'cf-ipcountry', GEO_CITY_HEADER: 'cf-ipcity', PASSWORD_MAX_ATTEMPTS: '3' });
    clicks = await collectClicks(infra.kafka(), infra.topicPrefix);
  });
  afterAll(async () => {
    await clicks?.stop();
    await redirector?.close();
    await link?.close();
    redis?.disconnect();
    await infra.cleanup();
  });

  it('answers unknown short links and malformed paths with a small 404 page', async () => {
    const reply = await get('/doesnotexist');
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.body).toContain('Link not found');
    // eslint-disable-next-line no-regex-spaces -- four spaces: how a stack frame is indented
    expect(reply.body).not.toMatch(/stack|Error:|    at /);
    expect((await get('/')).status).toBe(404);
    expect((await get('/has%20space')).status).toBe(404);
    expect((await get('/%E0%A4%A')).status).toBe(404); // undecodable
    expect((await get('/a/b/c')).status).toBe(404);
  });

  it('redirects with 302, no-store, utm + params + visitor query + hoko_id, and publishes one complete click', async () => {
    const route = await put({
      url: 'https://shop.example/p?color=red&utm_source=url',
      utm: { source: 'newsletter', medium: 'email', campaign: 'spring', term: null, content: 'hero', referral: 'friend' },
      params: { plan: 'pro', color: 'blue' },
      partnerId: 'a3bb189e-8bf9-4888-9912-ace4e6543002',
      tenantId: 'tenant-1',
      externalId: 'ext-1',
    });
    const reply = await get(`/${route.shortId}?color=green&utm_campaign=visitor&qr=1`, {
      referer: 'https://social.example/post',
      'cf-ipcountry': 'sa',
      'cf-ipcity': 'Riyadh',
    });
    expect(reply.status).toBe(302);
    expect(reply.headers['cache-control']).toContain('no-store');
    const location = new URL(String(reply.headers.location));
    expect(location.origin + location.pathname).toBe('https://shop.example/p');
    const q = Object.fromEntries(location.searchParams);
    const clickId = clickIdOf(reply)!;
    expect(q).toEqual({
      color: 'green', // visitor > params > url
      utm_source: 'newsletter', // utm > the URL's own query
      utm_medium: 'email',
      utm_campaign: 'visitor', // visitor > utm
      utm_content: 'hero',
      ref: 'friend',
      plan: 'pro',
      hoko_id: clickId,
    });

    const cookie = String(reply.headers['set-cookie']);
    expect(cookie).toMatch(/^hop_vid=[\w-]+; Max-Age=\d{8}; Path=\/; HttpOnly; SameSite=Lax$/);
    const visitorId = /^hop_vid=([\w-]+)/.exec(cookie)![1];

    const message = await eventually(() => clicks.byClickId(clickId));
    expect(message.key).toBe(route.linkId);
    const event = validateEvent('clicks', message.event);
    expect(event).toMatchObject({ id: clickId, type: 'click.recorded', workspaceId: route.workspaceId });
    expect(event.data).toMatchObject({
      clickId,
      linkId: route.linkId,
      workspaceId: route.workspaceId,
      shortId: route.shortId,
      partnerId: route.partnerId,
      tenantId: 'tenant-1',
      externalId: 'ext-1',
      destination: location.toString(),
      referrer: 'https://social.example/post',
      userAgent: CHROME,
      country: 'SA',
      city: 'Riyadh',
      qr: true,
      trigger: 'qr',
      bot: false,
      visitorId,
      utm: { source: 'newsletter', medium: 'email', campaign: 'spring', content: 'hero', referral: 'friend' },
      requestUtm: { campaign: 'visitor' },
    });
    expect(event.data).toHaveProperty('ipHash');
    expect(JSON.stringify(event)).not.toContain('127.0.0.1');

    // The recent-click record for /api/track/lead, for 24 h.
    const recent = JSON.parse((await eventually(() => redis.get(`click:${clickId}`)))!);
    expect(recent).toEqual({
      clickId,
      linkId: route.linkId,
      workspaceId: route.workspaceId,
      partnerId: route.partnerId,
      shortId: route.shortId,
      tenantId: 'tenant-1',
      externalId: 'ext-1',
      timestamp: (event.data as { timestamp: string }).timestamp,
    });
    const ttl = await redis.ttl(`click:${clickId}`);
    expect(ttl).toBeGreaterThan(24 * 3600 - 60);
    expect(ttl).toBeLessThanOrEqual(24 * 3600);

    // A returning visitor keeps their id and gets no new cookie.
    const again = await get(`/${route.shortId}`, { cookie: `other=1; hop_vid=${visitorId}` });
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await eventFor(clickIdOf(again))).data.visitorId).toBe(visitorId);
    // A cookie value we never issued is replaced, not trusted.
    const forged = await get(`/${route.shortId}`, { cookie: `hop_vid=${'x'.repeat(100)}<script>` });
    expect(String(forged.headers['set-cookie'])).toMatch(/^hop_vid=[\w-]{21};/);
  });

  it('uses 301 when the link says so', async () => {
    const route = await put({ redirectType: 301 });
    const reply = await get(`/${route.shortId}`);
    expect(reply.status).toBe(301);
    expect(reply.headers['cache-control']).toContain('private');
    expect(await eventFor(clickIdOf(reply))).toBeTruthy();
  });

  it('shows paused and expired pages, redirects expired links to expiredUrl, and counts none of them', async () => {
    const paused = await put({ active: false });
    const expired = await put({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    const moved = await put({ expiresAt: new Date(Date.now() - 1000).toISOString(), expiredUrl: 'https://expired.example/sorry' });
    const pausedReply = await get(`/${paused.shortId}`);
    expect(pausedReply.status).toBe(404);
    expect(pausedReply.body).toContain('Link paused');
    const goneReply = await get(`/${expired.shortId}`);
    expect(goneReply.status).toBe(410);
    expect(goneReply.body).toContain('Link expired');
    const movedReply = await get(`/${moved.shortId}`);
    expect(movedReply.status).toBe(302);
    expect(movedReply.headers.location).toBe('https://expired.example/sorry');
    // A counted click after them: once it is in Kafka, none of the three produced one.
    const marker = await put();
    await eventFor(clickIdOf(await get(`/${marker.shortId}`)));
    const linkIds = new Set([paused.linkId, expired.linkId, moved.linkId]);
    expect(clicks.events.filter((e) => linkIds.has(e.event.data.linkId))).toEqual([]);
  });

  it('protects a link with a password: form, wrong → error and no click, rate limit, right → redirect and one click', async () => {
    const route = await put({ passwordHash: hs256('open sesame'), url: 'https://secret.example/' });
    const form = await get(`/${route.shortId}?x=1`);
    expect(form.status).toBe(200);
    expect(form.body).toContain(`action="/${route.shortId}?x=1"`);
    expect(form.headers['x-frame-options']).toBe('DENY');

    const post = (password: string) =>
      request(redirector.url, `/${route.shortId}?x=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-ipcountry': 'FR' },
        body: new URLSearchParams({ password }).toString(),
      });
    const wrong = await post('guess');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('Wrong password');

    const right = await post('open sesame');
    expect(right.status).toBe(303);
    const location = new URL(String(right.headers.location));
    expect(location.host).toBe('secret.example');
    expect(location.searchParams.get('x')).toBe('1');
    const event = await eventFor(clickIdOf(right));
    expect(event.data.linkId).toBe(route.linkId);
    expect(clicks.events.filter((e) => e.event.data.linkId === route.linkId)).toHaveLength(1);

    // Three failures lock this visitor out of this link, even with the right password.
    for (let i = 0; i < 3; i++) expect((await post(`guess${i}`)).status).toBe(401);
    const locked = await post('open sesame');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.body).toContain('Too many attempts');

    const huge = await request(redirector.url, `/${route.shortId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `password=${'x'.repeat(10_000)}`,
    });
    expect(huge.status).toBe(413);
    const json = await request(redirector.url, `/${route.shortId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
    expect(clicks.events.filter((e) => e.event.data.linkId === route.linkId)).toHaveLength(1);
  });

  it('frames cloaked links and hides the referrer when asked, counting each', async () => {
    const cloaked = await put({ cloaked: true, title: 'Spring <Sale>', url: 'https://framed.example/' });
    const page = await get(`/${cloaked.shortId}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Spring &lt;Sale&gt;</title>');
    const src = /<iframe src="([^"]+)"/.exec(page.body)![1].replace(/&amp;/g, '&');
    expect(new URL(src).host).toBe('framed.example');
    await eventFor(new URL(src).searchParams.get('hoko_id'));

    const hidden = await put({ hideReferrer: true, url: 'https://private.example/' });
    const inter = await get(`/${hidden.shortId}`);
    expect(inter.status).toBe(200);
    expect(inter.headers['referrer-policy']).toBe('no-referrer');
    expect(inter.body).toContain('<meta name="referrer" content="no-referrer">');
    const target = /url=([^"]+)"/.exec(inter.body)![1].replace(/&amp;/g, '&');
    expect(new URL(target).host).toBe('private.example');
    await eventFor(new URL(target).searchParams.get('hoko_id'));
  });

  it('targets iOS, Android and countries (trusted header)', async () => {
    const route = await put({ ios: 'https://ios.example/', android: 'https://android.example/', geo: { DE: 'https://de.example/' } });
    const host = async (headers: Record<string, string>) => new URL(String((await get(`/${route.shortId}`, headers)).headers.location)).host;
    expect(await host({ 'user-agent': IPHONE, 'cf-ipcountry': 'DE' })).toBe('ios.example');
    expect(await host({ 'user-agent': ANDROID })).toBe('android.example');
    expect(await host({ 'cf-ipcountry': 'DE' })).toBe('de.example');
    expect(await host({ 'cf-ipcountry': 'FR' })).toBe('dest.example');
    expect(await host({})).toBe('dest.example');
  });

  it('without a trusted country header, locates the visitor IP (trusted proxy header) in the offline GeoIP database', async () => {
    const geoip = await startRedirector(infra, { CLIENT_IP_HEADER: 'x-forwarded-for' });
    try {
      const route = await put({ geo: { GB: 'https://uk.example/', US: 'https://us.example/' } });
      const visit = (ip: string) => request(geoip.url, `/${route.shortId}`, { headers: { 'x-forwarded-for': `${ip}, 10.0.0.1`, 'cf-ipcountry': 'US' } });
      const uk = await visit('81.2.69.160'); // a GeoLite2 test address in GB
      expect(new URL(String(uk.headers.location)).host).toBe('uk.example');
      expect(new URL(String((await visit('8.8.8.8')).headers.location)).host).toBe('us.example');
      expect(new URL(String((await visit('10.1.2.3')).headers.location)).host).toBe('dest.example'); // private: unknown
      const event = await eventFor(clickIdOf(uk));
      expect(event.data.country).toBe('GB');
      expect(JSON.stringify(event)).not.toContain('81.2.69.160');
    } finally {
      await geoip.close();
    }
  });

  it('serves OpenGraph previews to social crawlers without counting them', async () => {
    const route = await put({ title: 'Title', socialTitle: 'Big "Sale"', socialImage: 'https://img.example/s.png', description: 'All week' });
    const crawlers = ['facebookexternalhit/1.1', 'Twitterbot/1.0', 'LinkedInBot/1.0', 'Slackbot-LinkExpanding 1.0', 'WhatsApp/2.23.20.0 A', 'Discordbot/2.0', 'TelegramBot (like TwitterBot)'];
    for (const ua of crawlers) {
      const reply = await get(`/${route.shortId}`, { 'user-agent': ua });
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('<meta property="og:title" content="Big &quot;Sale&quot;">');
      expect(reply.body).toContain('<meta property="og:description" content="All week">');
      expect(reply.body).toContain('<meta property="og:image" content="https://img.example/s.png">');
      expect(reply.body).toContain(`/${route.shortId}">`); // og:url is the short link
    }
    const marker = await put();
    await eventFor(clickIdOf(await get(`/${marker.shortId}`)));
    expect(clicks.events.filter((e) => e.event.data.linkId === route.linkId)).toEqual([]);
  });

  it('redirects bots and HEAD requests but flags their clicks bot: true', async () => {
    const route = await put();
    const bot = await get(`/${route.shortId}`, { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
    expect(bot.status).toBe(302);
    expect((await eventFor(clickIdOf(bot))).data.bot).toBe(true);
    const head = await request(redirector.url, `/${route.shortId}`, { method: 'HEAD' });
    expect(head.status).toBe(302);
    expect((await eventFor(clickIdOf(head))).data.bot).toBe(true);
    const person = await get(`/${route.shortId}`);
    expect((await eventFor(clickIdOf(person))).data.bot).toBe(false);
  });

  it('follows route changes and deletions at once through the invalidation channel', async () => {
    const route = await put({ url: 'https://before.example/' });
    expect(new URL(String((await get(`/${route.shortId}`)).headers.location)).host).toBe('before.example');
    await putRoute(redis, infra.redisKeyPrefix, { ...route, url: 'https://after.example/', version: route.version + 1 });
    await eventually(async () => new URL(String((await get(`/${route.shortId}`)).headers.location)).host === 'after.example', 5_000, 20);
    await deleteRoute(redis, infra.redisKeyPrefix, route.shortId);
    await eventually(async () => (await get(`/${route.shortId}`)).status === 404, 5_000, 20);
  });

  it('rejects other methods and exposes health and metrics', async () => {
    const route = await put();
    expect((await request(redirector.url, `/${route.shortId}`, { method: 'DELETE' })).status).toBe(405);
    expect((await get('/healthz')).status).toBe(200);
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body).checks.redis).toBe(true);
    const metrics = (await get('/metrics')).body;
    for (const name of [
      'hop_redirector_click_buffer_depth',
      'hop_redirector_click_spool_bytes',
      'hop_redirector_click_publish_errors_total',
      'hop_redirector_request_duration_seconds_bucket',
    ]) {
      expect(metrics).toContain(name);
    }
  });
});
