import type Redis from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TestInfra, eventually, signedHeaders } from '@hop/testing';
// The conversion service's real entry point: the lead test runs POST /api/track/lead against it.
import { start as startConversion } from '../../conversion/src/main';
import { loadConversionConfig } from '../../conversion/src/config';
import { NOOP_SCRIPT } from '../src/attribution/browser-scripts';
import { BRANDED_HOST, CHROMIUM_MISSING, DESKTOP_UA, chromiumInstalled, freePort, launchChromium, startCustomerSite } from './fixtures-attribution/browser';
import { collectClickEvents } from './fixtures-attribution/clicks';
import { newShortId, putRoute, startRedirector } from './fixtures-attribution/redirector';
import { newRoute } from './helpers';

// /analytics.js and the embedded click script, run by a real headless Chromium on a customer page
// served as shop.test / www.shop.test / other.test, with the short domain as short.test (all on 127.0.0.1).
const describeInBrowser = chromiumInstalled ? describe : describe.skip;
if (!chromiumInstalled) console.warn(CHROMIUM_MISSING);

const NINETY_DAYS_S = 90 * 24 * 3600;

const infra = new TestInfra();
let redirector: Awaited<ReturnType<typeof startRedirector>>;
let site: Awaited<ReturnType<typeof startCustomerSite>>;
let browser: Browser;
let redis: Redis;
let clicks: Awaited<ReturnType<typeof collectClickEvents>>;
let conversion: Awaited<ReturnType<typeof startConversion>> | undefined;
let shortDomain = '';

const eventOf = (clickId: string) => eventually(() => clicks.ofClick(clickId));
const siteUrl = (host: string, path: string) => `http://${host}:${site.port}${path}`;

beforeAll(async () => {
  if (!chromiumInstalled) return;
  const port = await freePort();
  shortDomain = `http://short.test:${port}`;
  redirector = await startRedirector(infra, { PORT: String(port), SHORT_BASE_URL: shortDomain });
  site = await startCustomerSite(shortDomain);
  browser = await launchChromium();
  redis = infra.redis();
  clicks = await collectClickEvents(infra, 'browser-test');
});
afterAll(async () => {
  await conversion?.close();
  await browser?.close();
  await clicks?.stop();
  redis?.disconnect();
  await site?.close();
  await redirector?.close();
  await infra.cleanup();
});

/** A fresh visitor: its own cookie jar, a desktop user agent, every request it makes recorded. */
async function visitor(cookies: { host: string; name: string; value: string }[] = []) {
  const context = await browser.newContext({ userAgent: DESKTOP_UA });
  await context.addCookies(cookies.map(({ host, name, value }) => ({ name, value, domain: host, path: '/' })));
  // The embedded script announces its outcome; keep it where the test can wait for it.
  await context.addInitScript({
    content: "document.addEventListener('hoko:embedded-click', (event) => { window.hopEmbedded = event.detail; });",
  });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  return { context, page, requests };
}

const cookie = async (context: BrowserContext, host: string, name: string) =>
  (await context.cookies(`http://${host}/`)).find((c) => c.name === name);

function expectNinetyDays(c: { expires: number } | undefined) {
  expect(c).toBeDefined();
  expect(Math.abs((c as { expires: number }).expires - (Date.now() / 1000 + NINETY_DAYS_S))).toBeLessThan(300);
}

/** Opens the page and waits for the embedded script's outcome (the click id, or null). */
async function openEmbedded(page: Page, url: string): Promise<string | null> {
  await page.goto(url);
  const outcome = await page.waitForFunction('window.hopEmbedded');
  return ((await outcome.jsonValue()) as { clickId: string | null }).clickId;
}

describeInBrowser('GET /analytics.js in Chromium', () => {
  it('stores hoko_id from the page URL for 90 days, replaces it with a newer one, and sends nothing', async () => {
    const { context, page, requests } = await visitor();
    await page.goto(siteUrl('shop.test', '/plain?hoko_id=clickFromRedirect1'));
    const first = await cookie(context, 'shop.test', 'hoko_id');
    expect(first).toMatchObject({ value: 'clickFromRedirect1', domain: 'shop.test', path: '/', sameSite: 'Lax', httpOnly: false });
    expectNinetyDays(first);

    await page.goto(siteUrl('shop.test', '/plain?utm_source=x&hoko_id=clickFromRedirect2'));
    expect((await cookie(context, 'shop.test', 'hoko_id'))?.value).toBe('clickFromRedirect2');

    // Without a hoko_id (or with a malformed one) the stored value stays.
    await page.goto(siteUrl('shop.test', '/plain'));
    await page.goto(siteUrl('shop.test', '/plain?hoko_id=bad%3Bvalue%3Dx'));
    expect((await cookie(context, 'shop.test', 'hoko_id'))?.value).toBe('clickFromRedirect2');

    // The only requests: the pages themselves and the script.
    const unexpected = requests.filter((url) => !url.startsWith(siteUrl('shop.test', '/plain')) && url !== `${shortDomain}/analytics.js`);
    expect(unexpected).toEqual([]);
    expect(requests).toContain(`${shortDomain}/analytics.js`);
    await context.close();
  });
});

describeInBrowser('embedded click tracking (/:shortId/analytics.js) in Chromium', () => {
  it('from a branded domain: the script loaded from it posts its capture back to it, for the link of that domain', async () => {
    const route = newRoute({ shortId: newShortId(), url: 'http://shop.test/pricing', domain: BRANDED_HOST });
    await redis.set(`domain:${BRANDED_HOST}`, JSON.stringify({ name: BRANDED_HOST, workspaceId: route.workspaceId, rootRedirectUrl: null, notFoundUrl: null, version: 1 }));
    await redis.set(`route:${BRANDED_HOST}/${route.shortId}`, JSON.stringify(route));
    const { context, page, requests } = await visitor();
    const clickId = await openEmbedded(page, siteUrl('shop.test', `/branded/${route.shortId}`));
    expect(clickId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect((await cookie(context, 'shop.test', 'hoko_id'))?.value).toBe(clickId);
    const captures = requests.filter((url) => url.includes('capture='));
    expect(captures).toHaveLength(1);
    expect(new URL(captures[0]).hostname).toBe(BRANDED_HOST);
    expect((await eventOf(clickId as string)).data).toMatchObject({ linkId: route.linkId, trigger: 'embed' });
    await context.close();
  });

  it('on the destination host: records one embed click, stores its id as hoko_id and a 90-day visitor session', async () => {
    const route = await putRoute(redis, { url: 'http://shop.test/pricing' });
    const { context, page, requests } = await visitor();
    const scriptResponse = page.waitForResponse((r) => r.url().startsWith(`${shortDomain}/${route.shortId}/analytics.js?utm_source`));
    const pageUrl = siteUrl('shop.test', `/embed/${route.shortId}?plan=pro`);
    const clickId = await openEmbedded(page, pageUrl);
    expect(clickId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect((await scriptResponse).headers()['cache-control']).toBe('no-store');

    const stored = await cookie(context, 'shop.test', 'hoko_id');
    expect(stored?.value).toBe(clickId);
    expectNinetyDays(stored);
    const session = await cookie(context, 'shop.test', 'hoko_vs');
    expect(session?.value).toMatch(/^[0-9a-f]{32}$/);
    expectNinetyDays(session);

    // The capture went back to the script's own URL.
    const captures = requests.filter((url) => url.includes('capture='));
    expect(captures).toHaveLength(1);
    expect(captures[0].startsWith(`${shortDomain}/${route.shortId}/analytics.js?utm_source=newsletter`)).toBe(true);

    const event = await eventOf(clickId as string);
    expect(event.workspaceId).toBe(route.workspaceId);
    expect(event.data).toMatchObject({
      linkId: route.linkId,
      shortId: route.shortId,
      partnerId: route.partnerId,
      destination: pageUrl,
      trigger: 'embed',
      qr: false,
      bot: false,
      userAgent: DESKTOP_UA,
      visitorSessionId: session?.value,
      // The script URL's attribution; `referral` only counts without `ref`.
      requestUtm: { source: 'newsletter', medium: 'email', campaign: 'spring', referral: 'anna' },
    });

    // The recent-click record /api/track/lead uses seconds after the click.
    const recent = JSON.parse((await redis.get(`click:${clickId}`)) as string);
    expect(recent).toMatchObject({ clickId, linkId: route.linkId, workspaceId: route.workspaceId, partnerId: route.partnerId });

    // A second page view: a new click in the same visitor session; the first click id stays the hoko_id.
    const secondClickId = await openEmbedded(page, siteUrl('shop.test', `/embed/${route.shortId}?step=2`));
    expect(secondClickId).not.toBe(clickId);
    expect((await eventOf(secondClickId as string)).data).toMatchObject({ visitorSessionId: session?.value });
    expect((await cookie(context, 'shop.test', 'hoko_id'))?.value).toBe(clickId);
    await context.close();
  });

  it("works on the destination's www. variant", async () => {
    const route = await putRoute(redis, { url: 'http://shop.test/' });
    const { context, page } = await visitor();
    const clickId = await openEmbedded(page, siteUrl('www.shop.test', `/embed/${route.shortId}`));
    expect((await eventOf(clickId as string)).data).toMatchObject({ linkId: route.linkId, trigger: 'embed' });
    expect((await cookie(context, 'www.shop.test', 'hoko_id'))?.value).toBe(clickId);
    await context.close();
  });

  it('does not overwrite an existing hoko_id cookie with the embedded click id', async () => {
    const route = await putRoute(redis, { url: 'http://shop.test/' });
    const { context, page } = await visitor([{ host: 'shop.test', name: 'hoko_id', value: 'earlierRedirectClick' }]);
    const clickId = await openEmbedded(page, siteUrl('shop.test', `/embed/${route.shortId}`));
    expect(clickId).toBeTruthy();
    await eventOf(clickId as string);
    expect((await cookie(context, 'shop.test', 'hoko_id'))?.value).toBe('earlierRedirectClick');
    await context.close();
  });

  it('lets a hoko_id on the page URL win, replacing an older cookie, while still recording the embed click', async () => {
    const route = await putRoute(redis, { url: 'http://shop.test/' });
    const { context, page } = await visitor([{ host: 'shop.test', name: 'hoko_id', value: 'olderClick' }]);
    const clickId = await openEmbedded(page, siteUrl('shop.test', `/embed/${route.shortId}?hoko_id=redirectClick42`));
    expect(clickId).toBeTruthy();
    await eventOf(clickId as string);
    expect((await cookie(context, 'shop.test', 'hoko_id'))?.value).toBe('redirectClick42');
    await context.close();
  });

  it('on another host: a no-op script, no capture request, no cookie, no click', async () => {
    const route = await putRoute(redis, { url: 'http://shop.test/' });
    const { context, page, requests } = await visitor();
    const scriptResponse = page.waitForResponse((r) => r.url().startsWith(`${shortDomain}/${route.shortId}/analytics.js`));
    await page.goto(siteUrl('other.test', `/embed/${route.shortId}`));
    expect(await (await scriptResponse).text()).toBe(NOOP_SCRIPT);
    expect(requests.filter((url) => url.includes('capture='))).toEqual([]);
    expect(await context.cookies(siteUrl('other.test', '/'))).toEqual([]);

    // A later click of the same link (same partition, in order) arrives alone.
    const { page: matching, context: second } = await visitor();
    const clickId = await openEmbedded(matching, siteUrl('shop.test', `/embed/${route.shortId}`));
    await eventOf(clickId as string);
    expect(clicks.ofLink(route.linkId).map((e) => e.data.clickId)).toEqual([clickId]);
    await Promise.all([context.close(), second.close()]);
  });

  it("lets POST /api/track/lead attribute a lead to the click id the script stored (conversion service)", async () => {
    const route = await putRoute(redis, { url: 'http://shop.test/' });
    const link = redirector.peers.addLink(route, shortDomain);
    const { context, page } = await visitor();
    await openEmbedded(page, siteUrl('shop.test', `/embed/${route.shortId}`));
    const clickId = (await cookie(context, 'shop.test', 'hoko_id'))?.value as string;
    await context.close();

    // Right after the click, before analytics ingested it: the redirector's recent-click record answers.
    const env = infra.serviceEnv('conversion', { LINK_URL: redirector.peers.url, ANALYTICS_URL: redirector.peers.url });
    conversion = await startConversion(loadConversionConfig(env));
    const body = { clickId, eventName: 'Sign up', customerExternalId: 'customer_embed_1', customerName: 'Ada Lovelace' };
    const headers = signedHeaders({ secret: env.INTERNAL_SECRET, method: 'POST', url: '/api/track/lead', workspaceId: route.workspaceId, scopes: ['conversionsWrite'] });
    const response = await fetch(`${conversion.url}/api/track/lead`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      click: { id: clickId },
      link,
      lead: { eventName: 'Sign up' },
      customer: { name: 'Ada Lovelace', externalId: 'customer_embed_1' },
    });
  });
});
