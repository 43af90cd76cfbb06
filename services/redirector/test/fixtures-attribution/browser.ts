import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumInstalled = existsSync(CHROMIUM);
export const CHROMIUM_MISSING = `${CHROMIUM} is missing: browser attribution tests skipped. Install it with: apt-get update && apt-get install -y chromium`;

/** The test's hostnames; Chromium resolves them all to the loopback interface. */
export const HOSTS = ['shop.test', 'www.shop.test', 'other.test', 'short.test', 'go.brand.test'] as const;

/** A branded domain of the short links (served by the same redirector as short.test). */
export const BRANDED_HOST = 'go.brand.test';

/** Debian's headless Chromium, isolated from the network; every test hostname maps to 127.0.0.1. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=${HOSTS.map((host) => `MAP ${host} 127.0.0.1`).join(', ')}`,
    ],
  });
}

/** A desktop browser's user agent (HeadlessChrome's own would be flagged as a bot, rightly). */
export const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/**
 * A customer's site on 127.0.0.1 (reached as shop.test, www.shop.test or other.test):
 * `/plain` includes /analytics.js, `/embed/<shortId>` the embedded click script with attribution parameters.
 */
export async function startCustomerSite(shortDomain: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    const embed = /^\/(embed|branded)\/([A-Za-z0-9]+)$/.exec(path);
    // /branded/<key>: the script of a link on the branded domain, loaded from that domain.
    const base = embed?.[1] === 'branded' ? shortDomain.replace('//short.test', `//${BRANDED_HOST}`) : shortDomain;
    const src =
      path === '/plain'
        ? `${shortDomain}/analytics.js`
        : embed
          ? `${base}/${embed[2]}/analytics.js?utm_source=newsletter&utm_medium=email&utm_campaign=spring&referral=ignored&ref=anna`
          : null;
    if (!src) return void res.writeHead(404).end();
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><html><head><title>Shop</title><script src="${src.replace(/&/g, '&amp;')}"></script></head><body>Shop</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A port free right now (the redirector's, so SHORT_BASE_URL can name it before it starts). Drawn
 * below Linux's ephemeral range (32768+): servers started meanwhile on port 0 can never be given it.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = http.createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
  }
}
