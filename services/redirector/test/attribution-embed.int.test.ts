import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { TestInfra, eventually } from '@hop/testing';
import type Redis from 'ioredis';
import { issueCaptureToken } from '../src/attribution/capture-token';
import { NOOP_SCRIPT } from '../src/attribution/browser-scripts';
import { collectClickEvents } from './fixtures-attribution/clicks';
import { newShortId, putRoute, startRedirector } from './fixtures-attribution/redirector';
import { newRoute } from './helpers';

// The signed capture protocol of GET|POST /:shortId/analytics.js, driven over plain HTTP (the browser
// side is in attribution-browser.int.test.ts).
const SECRET = 'attribution-test-capture-secret';
const PAGE = 'https://www.shop.example/pricing?plan=pro';

const infra = new TestInfra();
let redirector: Awaited<ReturnType<typeof startRedirector>>;
let redis: Redis;
let clicks: Awaited<ReturnType<typeof collectClickEvents>>;

beforeAll(async () => {
  redirector = await startRedirector(infra, { SHORT_BASE_URL: 'https://hop.test', CAPTURE_SECRET: SECRET });
  redis = infra.redis();
  clicks = await collectClickEvents(infra, 'embed-test');
});
afterAll(async () => {
  await clicks?.stop();
  redis?.disconnect();
  await redirector?.close();
  await infra.cleanup();
});

const scriptPath = (shortId: string, query = '') => `/${shortId}/analytics.js${query}`;
const getScript = (shortId: string, headers: Record<string, string>, query = '') =>
  fetch(`${redirector.url}${scriptPath(shortId, query)}`, { headers });
/** The capture token a served script carries. */
const tokenIn = (script: string) => /searchParams\.set\('capture', "([^"]+)"\)/.exec(script)?.[1];

async function issuedToken(shortId: string, referer = PAGE, query = '') {
  const response = await getScript(shortId, { referer }, query);
  const token = tokenIn(await response.text());
  if (!token) throw new Error('no capture token in the script');
  return token;
}

function capture(shortId: string, params: Record<string, string>, headers: Record<string, string> = { origin: 'https://www.shop.example' }) {
  const query = new URLSearchParams({ url: PAGE, vs: 'session_0123456789abcdef', ...params });
  return fetch(`${redirector.url}${scriptPath(shortId)}?${query}`, { method: 'POST', headers });
}

const detailsOf = async (response: Response) => ((await response.json()) as { details: { path: string; message: string }[] }).details;

describe('GET /:shortId/analytics.js', () => {
  it('serves a no-store script with a capture token to a page on the destination host or its www. variant', async () => {
    const route = await putRoute(redis, { url: 'https://shop.example/pricing' });
    for (const referer of ['https://shop.example/a', 'https://www.shop.example/b?c=d']) {
      const response = await getScript(route.shortId, { referer });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(tokenIn(await response.text())).toBeTruthy();
    }
    const viaOrigin = await getScript(route.shortId, { origin: 'https://shop.example' });
    expect(tokenIn(await viaOrigin.text())).toBeTruthy();
  });

  it.each([
    ['no Referer or Origin', {}],
    ['another host', { referer: 'https://evil.example/shop.example' }],
    ['a subdomain other than www.', { referer: 'https://blog.shop.example/' }],
    ['a look-alike host', { referer: 'https://shop.example.evil.example/' }],
    ['an Origin of another host (Referer ignored)', { origin: 'https://evil.example', referer: 'https://shop.example/' }],
  ])('serves a no-op script, still no-store, for %s', async (_name, headers) => {
    const route = await putRoute(redis, { url: 'https://shop.example/pricing' });
    const response = await getScript(route.shortId, headers);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe(NOOP_SCRIPT);
  });

  it('serves a no-op script for an unknown, paused or expired link', async () => {
    const paused = await putRoute(redis, { url: 'https://shop.example/', active: false });
    const expired = await putRoute(redis, { url: 'https://shop.example/', expiresAt: new Date(Date.now() - 60_000).toISOString() });
    for (const shortId of ['Unknown9', paused.shortId, expired.shortId]) {
      expect(await (await getScript(shortId, { referer: PAGE })).text()).toBe(NOOP_SCRIPT);
    }
  });
});

describe('the signed capture', () => {
  it('records one embed click with the page URL as destination and the script URL attribution, then refuses a replay', async () => {
    const route = await putRoute(redis, { url: 'https://shop.example/pricing' });
    const token = await issuedToken(route.shortId, PAGE, '?utm_source=newsletter&utm_campaign=spring&referral=bob&other=x');

    const response = await capture(route.shortId, { capture: token, referrer: 'https://search.example/?q=shoes' }, {
      origin: 'https://www.shop.example',
      'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://www.shop.example');
    const { clickId } = (await response.json()) as { clickId: string };
    expect(clickId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);

    const event = await eventually(() => clicks.ofClick(clickId));
    expect(event.workspaceId).toBe(route.workspaceId);
    expect(event.data).toMatchObject({
      clickId,
      linkId: route.linkId,
      shortId: route.shortId,
      partnerId: route.partnerId,
      tenantId: route.tenantId,
      externalId: route.externalId,
      destination: PAGE,
      referrer: 'https://search.example/?q=shoes',
      trigger: 'embed',
      qr: false,
      bot: false,
      visitorSessionId: 'session_0123456789abcdef',
      requestUtm: { source: 'newsletter', campaign: 'spring', referral: 'bob' },
    });

    // The recent-click record /api/track/lead looks up first.
    const recent = JSON.parse((await redis.get(`click:${clickId}`)) as string);
    expect(recent).toMatchObject({ clickId, linkId: route.linkId, workspaceId: route.workspaceId, partnerId: route.partnerId, shortId: route.shortId });

    const replay = await capture(route.shortId, { capture: token });
    expect(replay.status).toBe(409);
    expect(await replay.json()).toEqual({ error: { en: 'Conflict: capture token already used', ar: 'تعارض: رمز الالتقاط مستخدم بالفعل' } });
  });

  const ownPage = { origin: 'https://www.shop.example' };
  it.each([
    ['a token of another deployment', (): string => issueCaptureToken('some-other-secret-of-length', { shortId: 'x', host: 'www.shop.example', attribution: {} }).token, {}, ownPage, 'capture', 'capture token is invalid'],
    ['a garbled token', (): string => 'not.a-token', {}, ownPage, 'capture', 'capture token is invalid'],
    ['an empty token', (): string => '', {}, ownPage, 'capture', 'capture token is invalid'],
    ['a page URL on another host', null, { url: 'https://evil.example/pricing' }, ownPage, 'url', 'url must be the http(s) URL of the page the script was served to'],
    ['a non-http page URL', null, { url: 'javascript:alert(1)//www.shop.example' }, ownPage, 'url', 'url must be the http(s) URL of the page the script was served to'],
    ['an Origin of another host', null, {}, { origin: 'https://evil.example' }, 'origin', 'capture must come from the page the script was served to'],
    ['a Referer of another host', null, {}, { referer: 'https://evil.example/' }, 'origin', 'capture must come from the page the script was served to'],
    ['no Origin or Referer', null, {}, {}, 'origin', 'capture must come from the page the script was served to'],
    ['a malformed session id', null, { vs: 'bad session;' }, ownPage, 'vs', 'vs must be a visitor session id (1-64 of A-Z a-z 0-9 _ -)'],
  ] as const)('refuses %s with a 400 naming it and records nothing', async (_name, makeToken, params, headers, path, message) => {
    const route = await putRoute(redis, { url: 'https://shop.example/pricing' });
    const token = makeToken ? makeToken() : await issuedToken(route.shortId);
    const response = await capture(route.shortId, { capture: token, ...params }, headers);
    expect(response.status).toBe(400);
    expect(await detailsOf(response)).toEqual([{ path, field: path, message }]);
    // Refused before the token was spent: the genuine capture still succeeds afterwards, and its
    // event is the link's only one (a link's events share a partition, in order).
    expect((await capture(route.shortId, { capture: makeToken ? await issuedToken(route.shortId) : token })).status).toBe(200);
    await eventually(() => clicks.ofLink(route.linkId).length > 0);
    expect(clicks.ofLink(route.linkId)).toHaveLength(1);
  });

  it('refuses an expired token', async () => {
    const route = await putRoute(redis, { url: 'https://shop.example/pricing' });
    const { token } = issueCaptureToken(SECRET, { shortId: route.shortId, host: 'www.shop.example', attribution: {} }, Date.now() - 6 * 60_000);
    const response = await capture(route.shortId, { capture: token });
    expect(response.status).toBe(400);
    expect(await detailsOf(response)).toEqual([{ path: 'capture', field: 'capture', message: 'capture token has expired' }]);
  });

  it("refuses another link's token", async () => {
    const route = await putRoute(redis, { url: 'https://shop.example/pricing' });
    const other = await putRoute(redis, { url: 'https://shop.example/other' });
    const response = await capture(other.shortId, { capture: await issuedToken(route.shortId) });
    expect(await detailsOf(response)).toEqual([{ path: 'capture', field: 'capture', message: 'capture token was issued for another link' }]);
  });

  it('validates the destination host again: a link moved to another site records nothing', async () => {
    const route = await putRoute(redis, { url: 'https://shop.example/pricing' });
    const token = await issuedToken(route.shortId);
    await putRoute(redis, { ...route, url: 'https://elsewhere.example/', version: route.version + 1 });
    // As the link service does: tell the redirectors to drop their cached route.
    await redis.publish(`${infra.redisKeyPrefix}routes`, route.shortId);
    await eventually(async () => (await (await getScript(route.shortId, { referer: PAGE })).text()) === NOOP_SCRIPT);
    const response = await capture(route.shortId, { capture: token });
    expect(response.status).toBe(400);
    expect(await detailsOf(response)).toEqual([{ path: 'capture', field: 'capture', message: 'link is not tracked on this page' }]);
  });
});

describe('on a branded domain', () => {
  const DOMAIN = 'go.embed-brand.test';
  const OTHER = 'other.embed-brand.test';

  /** A request as a browser sends it to `host` (fetch cannot set Host). */
  const toHost = (method: string, host: string, path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      const target = new URL(redirector.url);
      const req = http.request({ host: target.hostname, port: target.port, method, path, headers: { ...headers, host } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', reject).end();
    });

  /** A verified domain and a link on it, written the way the link service writes them. */
  async function brandedRoute(domain: string, workspaceId = randomUUID()) {
    const route = newRoute({ shortId: newShortId(), workspaceId, url: 'https://shop.example/pricing', domain });
    await redis.set(`domain:${domain}`, JSON.stringify({ name: domain, workspaceId, rootRedirectUrl: null, notFoundUrl: null, version: 1 }));
    await redis.set(`route:${domain}/${route.shortId}`, JSON.stringify(route));
    return route;
  }

  it('serves the script there and takes its capture there: the click is the link of that domain', async () => {
    const route = await brandedRoute(DOMAIN);
    const served = await toHost('GET', DOMAIN, scriptPath(route.shortId, '?utm_source=brand'), { referer: PAGE });
    expect(served.status).toBe(200);
    expect(served.body).toContain(JSON.stringify(`https://${DOMAIN}/${route.shortId}/analytics.js?utm_source=brand`));
    const token = tokenIn(served.body) as string;

    // The token names the route (domain and key): the default domain's link of that key is another link.
    const query = (t: string) => `?${new URLSearchParams({ capture: t, url: PAGE, vs: 'session_brand' })}`;
    const elsewhere = await capture(route.shortId, { capture: token });
    expect(elsewhere.status).toBe(400);
    expect((await detailsOf(elsewhere))[0].message).toMatch(/another link/);

    const captured = await toHost('POST', DOMAIN, scriptPath(route.shortId, query(token)), { origin: 'https://www.shop.example' });
    expect(captured.status).toBe(200);
    expect(captured.headers['access-control-allow-origin']).toBe('https://www.shop.example');
    const { clickId } = JSON.parse(captured.body) as { clickId: string };
    const event = await eventually(() => clicks.ofClick(clickId));
    expect(event.data).toMatchObject({ linkId: route.linkId, trigger: 'embed', destination: PAGE, requestUtm: { source: 'brand' } });
  });

  it('serves /analytics.js there, and no link of another workspace under the domain', async () => {
    const route = await brandedRoute(OTHER);
    expect(tokenIn((await toHost('GET', OTHER, scriptPath(route.shortId), { referer: PAGE })).body)).toBeTruthy();
    // The domain passed to another workspace (it lapsed and was verified again elsewhere).
    await redis.set(`domain:${OTHER}`, JSON.stringify({ name: OTHER, workspaceId: randomUUID(), rootRedirectUrl: null, notFoundUrl: null, version: 2 }));
    await redis.publish(`${infra.redisConfig().keyPrefix}domains`, OTHER);
    await eventually(async () => (await toHost('GET', OTHER, scriptPath(route.shortId), { referer: PAGE })).body === NOOP_SCRIPT);
    const general = await toHost('GET', OTHER, '/analytics.js', {});
    expect(general).toMatchObject({ status: 200, headers: { 'content-type': 'application/javascript; charset=utf-8' } });
    expect((await toHost('GET', OTHER, `/${route.shortId}/other.js`, {})).status).toBe(404);
  });
});
