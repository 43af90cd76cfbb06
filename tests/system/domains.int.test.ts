import http from 'node:http';
import { eventually, startDnsServer, TestInfra, type DnsServer } from '@hop/testing';
import { loadCatalogConfig } from '../../services/catalog/src/config';
import { start as startCatalog } from '../../services/catalog/src/main';
import { runCli } from '../../services/gateway/src/cli';
import { loadGatewayConfig } from '../../services/gateway/src/config';
import { start as startGateway } from '../../services/gateway/src/main';
import { loadLinkConfig } from '../../services/link/src/config';
import { start as startLink } from '../../services/link/src/main';
import { loadPartnerConfig } from '../../services/partner/src/config';
import { start as startPartner } from '../../services/partner/src/main';
import { loadRedirectorConfig } from '../../services/redirector/src/config';
import { start as startRedirector } from '../../services/redirector/src/main';

/**
 * Branded domains and custom keys, black-box: every call goes through the gateway (API keys,
 * scopes) or to the redirector with a Host header; ownership is proven through a real DNS server
 * on loopback.
 */
const ADMIN_TOKEN = 'test-admin-token-0123456789';
const SHORT_BASE_URL = 'http://hop.test';

type Running = { url: string; close(): Promise<void> };
type Reply = { status: number; body: any; headers: Headers };

describe('branded domains and custom keys', () => {
  const infra = new TestInfra();
  let dns: DnsServer;
  const running: Running[] = [];
  let gateway: Running;
  let redirector: Running;
  let gatewayEnv: Record<string, string>;

  const admin = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const res = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };

  /** A workspace on `plan` with one collection and a caller holding `scopes` (all by default). */
  async function workspace(plan: string, scopes?: string[]) {
    const created = await admin('POST', '/admin/workspaces', { name: `ws-${plan}`, plan });
    const id = created.body.id as string;
    const keyOf = async (s?: string[]) => (await admin('POST', `/admin/workspaces/${id}/keys`, { name: 'k', ...(s ? { scopes: s } : { allScopes: true }) })).body.key as string;
    const callWith = (key: string) => async (method: string, path: string, body?: unknown): Promise<Reply> => {
      const res = await fetch(`${gateway.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json(), headers: res.headers };
    };
    const call = callWith(await keyOf(scopes));
    const collection = await call('POST', '/api/collections', [{ name: 'Main' }]);
    return { id, call, callWith: async (s: string[]) => callWith(await keyOf(s)), collectionId: collection.body[0].id as string };
  }
  type Ws = Awaited<ReturnType<typeof workspace>>;

  /** A request to the redirector as a browser would send it to `host`. */
  const visit = (host: string, path: string) =>
    new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
      const target = new URL(redirector.url);
      const req = http.get({ host: target.hostname, port: target.port, path, headers: { host } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
      });
      req.on('error', reject);
    });

  /** Adds a domain and verifies it through DNS; returns the verified domain. */
  async function verifiedDomain(ws: Ws, name: string, fields: Record<string, unknown> = {}) {
    const [domain] = (await ws.call('POST', '/api/domains', [{ name, ...fields }])).body;
    dns.setTxt(`_hop.${domain.name}`, domain.verificationToken);
    const verified = await ws.call('POST', `/api/domains/${domain.id}/verify`);
    expect(verified).toMatchObject({ status: 200, body: { status: 'verified' } });
    return verified.body;
  }

  const createLinks = async (ws: Ws, items: Record<string, unknown>[]) => ws.call('POST', '/api/links', items.map((i) => ({ collectionId: ws.collectionId, ...i })));

  let a: Ws;
  let b: Ws;

  beforeAll(async () => {
    dns = await startDnsServer();
    const catalog = await startCatalog(loadCatalogConfig(infra.serviceEnv('catalog')));
    const partner = await startPartner(loadPartnerConfig(infra.serviceEnv('partner')));
    const link = await startLink(
      loadLinkConfig(
        infra.serviceEnv('link', {
          CATALOG_URL: catalog.url,
          PARTNER_URL: partner.url,
          SHORT_BASE_URL,
          API_BASE_URL: 'http://api.hop.test',
          DOMAIN_URL_SCHEME: 'http',
          DNS_SERVERS: dns.address,
          DNS_TIMEOUT_MS: '1000',
          DOMAIN_CHECK_INTERVAL_S: '1',
          DOMAIN_RECHECK_INTERVAL_S: '1',
          DOMAIN_RECHECK_FAILURES: '2',
        }),
      ),
    );
    redirector = await startRedirector(loadRedirectorConfig(infra.serviceEnv('redirector', { LINK_URL: link.url, SHORT_BASE_URL, DOMAIN_URL_SCHEME: 'http' })));
    gatewayEnv = infra.serviceEnv('gateway', { LINK_URL: link.url, CATALOG_URL: catalog.url, PARTNER_URL: partner.url, ADMIN_TOKEN });
    gateway = await startGateway(loadGatewayConfig(gatewayEnv));
    running.push(gateway, redirector, link, catalog, partner);
    [a, b] = await Promise.all([workspace('enterprise'), workspace('enterprise')]);
  });

  afterAll(async () => {
    for (const service of running) await service.close();
    await dns?.close();
    await infra.cleanup();
  });

  it('adds domains: IDN stored as punycode, bad names refused item by item', async () => {
    const added = await a.call('POST', '/api/domains', [{ name: 'Bücher.Example.test' }]);
    expect(added).toMatchObject({ status: 201, body: [{ name: 'xn--bcher-kva.example.test', status: 'pending', primary: false, verifiedAt: null }] });
    expect(added.body[0].verificationToken).toMatch(/^hop-verify=[0-9a-f]{32}$/);
    expect(added.body[0].verificationRecord).toEqual({ type: 'TXT', name: '_hop.xn--bcher-kva.example.test', value: added.body[0].verificationToken });

    const bad = ['https://x.example.test', 'x.example.test/path', 'x.example.test:8443', '10.0.0.1', '[::1]', 'localhost', 'hop.test', 'api.hop.test'];
    const refused = await a.call('POST', '/api/domains', bad.map((name) => ({ name })));
    expect(refused.status).toBe(400);
    expect(refused.body.details.map((d: { path: string }) => d.path).sort()).toEqual(bad.map((_, i) => `[${i}].name`).sort());
    expect((await a.call('GET', '/api/domains')).body).toHaveLength(1);
  });

  it('verifies through the DNS TXT record on demand: failed without it, verified with it', async () => {
    const [domain] = (await a.call('POST', '/api/domains', [{ name: 'check.example.test' }])).body;
    const failed = await a.call('POST', `/api/domains/${domain.id}/verify`);
    expect(failed.body).toMatchObject({ status: 'failed', verifiedAt: null, lastCheckedAt: expect.any(String) });
    dns.setTxt('_hop.check.example.test', 'something-else', domain.verificationToken);
    const verified = await a.call('POST', `/api/domains/${domain.id}/verify`);
    expect(verified).toMatchObject({ status: 200, body: { status: 'verified', verifiedAt: expect.any(String) } });
  });

  it('verifies periodically once the record appears', async () => {
    const [domain] = (await a.call('POST', '/api/domains', [{ name: 'later.example.test' }])).body;
    dns.setTxt('_hop.later.example.test', domain.verificationToken);
    await eventually(async () => (await a.call('GET', '/api/domains?name=later.example.test')).body[0]?.status === 'verified', 15_000, 250);
  });

  it('refuses a domain another workspace verified, and a verification lost to another workspace', async () => {
    await verifiedDomain(b, 'b-owned.example.test');
    const claim = await a.call('POST', '/api/domains', [{ name: 'b-owned.example.test' }]);
    expect(claim).toMatchObject({ status: 409, body: { details: [{ path: '[0].name' }] } });

    const [mine] = (await a.call('POST', '/api/domains', [{ name: 'race.example.test' }])).body;
    const [theirs] = (await b.call('POST', '/api/domains', [{ name: 'race.example.test' }])).body;
    // One token at a time: the periodic check (every second here) must not pick the winner.
    dns.setTxt('_hop.race.example.test', theirs.verificationToken);
    expect((await b.call('POST', `/api/domains/${theirs.id}/verify`)).body.status).toBe('verified');
    dns.setTxt('_hop.race.example.test', theirs.verificationToken, mine.verificationToken);
    expect((await a.call('POST', `/api/domains/${mine.id}/verify`)).status).toBe(409);
    expect((await a.call('GET', '/api/domains?name=race.example.test')).body[0].status).not.toBe('verified');
  });

  it('re-checks verified domains: one whose TXT record went away fails and is no longer served; it comes back with the record', async () => {
    const domain = await verifiedDomain(a, 'lapse.brand.test');
    await createLinks(a, [{ url: 'https://x.example/lapse', domain: 'lapse.brand.test', key: 'kept' }]);
    expect((await visit('lapse.brand.test', '/kept')).status).toBe(302);
    const statusOf = async (ws: Ws) => (await ws.call('GET', '/api/domains?name=lapse.brand.test')).body[0]?.status;
    const ask = async () => (await visit('hop.test', '/.well-known/hop-tls-ask?domain=lapse.brand.test')).status;

    dns.setTxt('_hop.lapse.brand.test');
    await eventually(async () => (await statusOf(a)) === 'failed', 15_000, 250);
    await eventually(async () => (await visit('lapse.brand.test', '/kept')).status === 404 && (await ask()) === 404, 5_000, 100);
    expect((await a.call('GET', '/api/links?domain=lapse.brand.test')).body.map((l: { key: string }) => l.key)).toEqual(['kept']);
    expect((await createLinks(a, [{ url: 'https://x.example/new', domain: 'lapse.brand.test' }])).status).toBe(400);

    // The name is free: another workspace verifies it, and a's old links are not served under it.
    const theirs = await verifiedDomain(b, 'lapse.brand.test');
    await eventually(async () => (await ask()) === 200, 5_000, 100);
    expect((await visit('lapse.brand.test', '/kept')).status).toBe(404);
    expect((await b.call('DELETE', '/api/domains', [theirs.id])).status).toBe(200);

    // Still within its window, a's domain is checked again and verified when its record is back.
    dns.setTxt('_hop.lapse.brand.test', domain.verificationToken);
    await eventually(async () => (await statusOf(a)) === 'verified', 15_000, 250);
    await eventually(async () => (await visit('lapse.brand.test', '/kept')).status === 302, 5_000, 100);
  });

  it('applies the plan quota (free: none, pro: 3)', async () => {
    const free = await workspace('free');
    const reply = await free.call('POST', '/api/domains', [{ name: 'free.example.test' }]);
    expect(reply.status).toBe(400);
    expect(reply.body.error.en).toMatch(/quota/i);
    const pro = await workspace('pro');
    const names = ['p1', 'p2', 'p3', 'p4'].map((p) => ({ name: `${p}.pro.example.test` }));
    expect((await pro.call('POST', '/api/domains', names)).body.error.en).toMatch(/quota of your plan exceeded \(3 domains\)/);
    expect((await pro.call('POST', '/api/domains', names.slice(0, 3))).status).toBe(201);
  });

  it('serves custom keys per domain: the same key on two domains, a clash failing the whole batch', async () => {
    await verifiedDomain(a, 'go.brand.test');
    const created = await createLinks(a, [
      { url: 'https://shop.example/brand-sale', domain: 'go.brand.test', key: 'sale' },
      { url: 'https://shop.example/default-sale', key: 'sale' },
    ]);
    expect(created.status).toBe(201);
    expect(created.body[0]).toMatchObject({ shortUrl: 'http://go.brand.test/sale', domain: 'go.brand.test', key: 'sale' });
    expect(created.body[0].qrCode).toMatch(/^http:\/\/go\.brand\.test\/qrcode\?text=http%3A%2F%2Fgo\.brand\.test%2Fsale%3Fqr%3D1&/);
    expect(created.body[1]).toMatchObject({ shortUrl: 'http://hop.test/sale', domain: 'hop.test', key: 'sale' });

    const clash = await createLinks(a, [{ url: 'https://x.example/1', key: 'fresh-one' }, { url: 'https://x.example/2', domain: 'go.brand.test', key: 'sale' }]);
    expect(clash).toMatchObject({ status: 409, body: { details: [{ path: '[1].key' }] } });
    expect((await a.call('GET', '/api/links?domain=hop.test')).body.map((l: { key: string }) => l.key)).not.toContain('fresh-one');
    // The default domain is shared: another workspace cannot take a key used there.
    expect((await createLinks(b, [{ url: 'https://x.example/3', key: 'sale' }])).status).toBe(409);
    // Keys: charset, length and reserved words.
    const badKeys = await createLinks(a, [{ url: 'https://x.example/4', key: 'a/b' }, { url: 'https://x.example/5', key: 'QRCode' }, { url: 'https://x.example/6', key: 'x'.repeat(65) }]);
    expect(badKeys.body.details.map((d: { path: string }) => d.path)).toEqual(['[0].key', '[1].key', '[2].key']);

    expect(await visit('go.brand.test', '/sale')).toMatchObject({ status: 302, location: expect.stringMatching(/^https:\/\/shop\.example\/brand-sale\?hoko_id=/) });
    expect(await visit('GO.Brand.TEST:8081', '/sale')).toMatchObject({ status: 302, location: expect.stringMatching(/^https:\/\/shop\.example\/brand-sale\?/) });
    expect(await visit('hop.test', '/sale')).toMatchObject({ status: 302, location: expect.stringMatching(/^https:\/\/shop\.example\/default-sale\?/) });
    expect(await visit('127.0.0.1', '/sale')).toMatchObject({ status: 302, location: expect.stringMatching(/default-sale/) });
  });

  it('refuses links on a domain that is not verified, or not the workspace’s', async () => {
    await a.call('POST', '/api/domains', [{ name: 'pending.brand.test' }]);
    const pending = await createLinks(a, [{ url: 'https://x.example/p', domain: 'pending.brand.test' }]);
    expect(pending).toMatchObject({ status: 400, body: { details: [{ path: '[0].domain' }] } });
    expect((await createLinks(b, [{ url: 'https://x.example/q', domain: 'go.brand.test' }])).status).toBe(400);
    expect((await visit('pending.brand.test', '/anything')).status).toBe(404);
    expect((await visit('nobody.example.test', '/sale')).status).toBe(404);
  });

  it('answers / and unknown keys of a domain with its redirects, else small pages', async () => {
    const plain = await verifiedDomain(a, 'plain.brand.test');
    expect(await visit('plain.brand.test', '/')).toMatchObject({ status: 200, body: expect.stringContaining('plain.brand.test') });
    expect((await visit('plain.brand.test', '/missing')).status).toBe(404);
    const put = await a.call('PUT', '/api/domains', [{ id: plain.id, rootRedirectUrl: 'https://brand.example/', notFoundUrl: 'https://brand.example/404' }]);
    expect(put).toMatchObject({ status: 200, body: [{ rootRedirectUrl: 'https://brand.example/', notFoundUrl: 'https://brand.example/404' }] });
    // The redirector cached the domain's record on the visits above; the change reaches it through
    // the domains channel (pub/sub), a moment after the PUT's answer (CI once saw the old record).
    await eventually(async () => (await visit('plain.brand.test', '/')).status === 302, 5_000, 100);
    expect(await visit('plain.brand.test', '/')).toMatchObject({ status: 302, location: 'https://brand.example/' });
    expect(await visit('plain.brand.test', '/missing')).toMatchObject({ status: 302, location: 'https://brand.example/404' });
  });

  it('moves a link by PUT: the old short URL stops at once, the new one works at once', async () => {
    await verifiedDomain(a, 'move.brand.test');
    const [link] = (await createLinks(a, [{ url: 'https://shop.example/moving', domain: 'move.brand.test', key: 'before' }])).body;
    expect((await visit('move.brand.test', '/before')).status).toBe(302);

    const moved = await a.call('PUT', '/api/links', [{ id: link.id, key: 'after' }]);
    expect(moved.body[0]).toMatchObject({ shortUrl: 'http://move.brand.test/after' });
    expect((await visit('move.brand.test', '/before')).status).toBe(404);
    expect((await visit('move.brand.test', '/after')).location).toMatch(/shop\.example\/moving/);

    const home = await a.call('PUT', '/api/links', [{ id: link.id, domain: null }]);
    expect(home.body[0]).toMatchObject({ shortUrl: 'http://hop.test/after', domain: 'hop.test' });
    expect((await visit('move.brand.test', '/after')).status).toBe(404);
    expect((await visit('hop.test', '/after')).location).toMatch(/shop\.example\/moving/);
  });

  it('refuses to delete a domain that still has links, with their count', async () => {
    const domain = await verifiedDomain(a, 'busy.brand.test');
    const links = (await createLinks(a, [{ url: 'https://x.example/b1', domain: 'busy.brand.test' }, { url: 'https://x.example/b2', domain: 'busy.brand.test' }])).body;
    const refused = await a.call('DELETE', '/api/domains', [domain.id]);
    expect(refused).toMatchObject({ status: 409, body: { linkCounts: { [domain.id]: 2 } } });
    expect(refused.body.error.en).toContain('2 links');
    await a.call('DELETE', '/api/links', links.map((l: { id: string }) => l.id));
    expect(await a.call('DELETE', '/api/domains', [domain.id])).toMatchObject({ status: 200, body: { deletedIds: [domain.id] } });
    expect((await visit('busy.brand.test', '/')).status).toBe(404);
  });

  it('filters links by domain and keeps workspaces apart on every domain route', async () => {
    const onBrand = await a.call('GET', '/api/links?domain=go.brand.test');
    expect(onBrand.body.map((l: { key: string }) => l.key)).toEqual(['sale']);
    expect((await b.call('GET', '/api/links?domain=go.brand.test')).body).toEqual([]);

    const aDomains = (await a.call('GET', '/api/domains')).body as { id: string; name: string }[];
    const bNames = (await b.call('GET', '/api/domains')).body.map((d: { name: string }) => d.name);
    expect(bNames).not.toEqual(expect.arrayContaining(['go.brand.test']));
    const target = aDomains.find((d) => d.name === 'go.brand.test') as { id: string };
    expect((await b.call('PUT', '/api/domains', [{ id: target.id, notFoundUrl: 'https://evil.example/' }])).status).toBe(400);
    expect((await b.call('DELETE', '/api/domains', [target.id])).status).toBe(400);
    expect((await b.call('POST', `/api/domains/${target.id}/verify`)).status).toBe(404);
  });

  it('needs the domains scopes', async () => {
    const reader = await a.callWith(['linksRead', 'domainsRead']);
    expect((await reader('GET', '/api/domains')).status).toBe(200);
    const denied = await reader('POST', '/api/domains', [{ name: 'scope.example.test' }]);
    expect(denied).toMatchObject({ status: 403, body: { missingScopes: ['domainsWrite'] } });
    expect((await (await a.callWith(['linksRead']))('GET', '/api/domains')).status).toBe(403);
  });

  it("shows the link's domain in the peers' list endpoints", async () => {
    const brand = ((await a.call('GET', '/api/domains?name=go.brand.test')).body as { id: string }[])[0];
    const shortpen = await a.call('GET', '/v1/links');
    const item = shortpen.body.data.find((l: { short_url: string }) => l.short_url === 'http://go.brand.test/sale');
    expect(item).toMatchObject({ domain_id: brand.id });
    const hozip = await a.call('GET', '/api/v1/external/links');
    expect(hozip.body.results).toEqual(expect.arrayContaining([expect.objectContaining({ short_code: 'sale', domain: 'go.brand.test' })]));
    expect(hozip.body.results).toEqual(expect.arrayContaining([expect.objectContaining({ short_code: 'sale', domain: 'hop.test' })]));
  });

  it('draws QR codes only for short URLs of verified domains or the default one; answers Caddy’s TLS ask', async () => {
    const qr = (text: string) => visit('hop.test', `/qrcode?text=${encodeURIComponent(text)}`);
    expect((await qr('http://go.brand.test/sale?qr=1')).status).toBe(200);
    expect((await qr('http://hop.test/sale?qr=1')).status).toBe(200);
    expect((await qr('http://pending.brand.test/x')).status).toBe(400);
    expect((await qr('http://evil.example/x')).status).toBe(400);

    const ask = (domain: string) => visit('hop.test', `/.well-known/hop-tls-ask?domain=${encodeURIComponent(domain)}`);
    expect((await ask('go.brand.test')).status).toBe(200);
    expect((await ask('hop.test')).status).toBe(200);
    expect((await ask('pending.brand.test')).status).toBe(404);
    expect((await ask('')).status).toBe(404);
  });

  it('lets an operator verify without DNS (/admin), and the redirector serves it', async () => {
    const marked = await admin('POST', `/admin/workspaces/${a.id}/domains/verify`, { name: 'airgap.example.test' });
    expect(marked).toMatchObject({ status: 200, body: { name: 'airgap.example.test', status: 'verified' } });
    await createLinks(a, [{ url: 'https://x.example/air', domain: 'airgap.example.test', key: 'air' }]);
    expect((await visit('airgap.example.test', '/air')).location).toMatch(/x\.example\/air/);
    expect((await admin('POST', `/admin/workspaces/${b.id}/domains/verify`, { name: 'airgap.example.test' })).status).toBe(409);
  });

  it('lets an operator verify without DNS from the CLI (pnpm hop domain verify … --without-dns)', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    const cli = (args: string[]) => runCli(args, io, () => loadGatewayConfig(gatewayEnv));
    expect(await cli(['domain', 'verify', b.id, 'Cli.Example.test', '--without-dns'])).toBe(0);
    expect(out.pop()).toBe(`Domain cli.example.test of workspace ${b.id} is verified (without DNS).`);
    expect((await visit('cli.example.test', '/')).status).toBe(200);
    expect(await cli(['domain', 'verify', a.id, 'cli.example.test', '--without-dns'])).toBe(1);
    expect(out.pop()).toMatch(/verified by another workspace/);
    expect(await cli(['domain', 'verify', b.id, 'cli2.example.test'])).toBe(2);
  });
});
