import { randomUUID } from 'node:crypto';
import { eventually, gatewayClient, startDnsServer, TestInfra, type DnsServer } from '@hop/testing';
import { loadLinkConfig } from '../src/config';
import { start as startLink } from '../src/main';

/**
 * The periodic domain checks with several link instances on one database: each due domain is
 * claimed by one instance only (FOR UPDATE SKIP LOCKED), so DNS is asked once per domain and
 * interval. Ownership is answered by a real DNS server on loopback.
 */
describe('periodic domain checks across link instances', () => {
  const infra = new TestInfra();
  let dns: DnsServer;
  const links: { url: string; close(): Promise<void> }[] = [];

  beforeAll(async () => {
    dns = await startDnsServer();
    // Rounds every 6 s; a checked unverified domain is not due again for 60 s; no re-checks of verified ones.
    const env = infra.serviceEnv('link', {
      CATALOG_URL: 'http://127.0.0.1:9',
      PARTNER_URL: 'http://127.0.0.1:9',
      SHORT_BASE_URL: 'https://hop.test',
      DNS_SERVERS: dns.address,
      DNS_TIMEOUT_MS: '1000',
      DOMAIN_CHECK_INTERVAL_S: '60',
      DOMAIN_RECHECK_INTERVAL_S: '0',
    });
    for (let i = 0; i < 3; i++) links.push(await startLink(loadLinkConfig(env)));
  });

  afterAll(async () => {
    for (const link of links) await link.close();
    await dns?.close();
    await infra.cleanup();
  });

  it('checks each due domain once, whichever instance claims it', async () => {
    const call = gatewayClient(links[0].url, { workspaceId: randomUUID(), plan: 'enterprise' });
    const names = Array.from({ length: 12 }, (_, i) => `n${i}.checks.example.test`);
    expect((await call('POST', '/api/domains', names.map((name) => ({ name })))).status).toBe(201);
    // No TXT records: every check fails the domain, so `failed` everywhere means every domain was checked.
    await eventually(async () => ((await call('GET', '/api/domains?status=failed')).body as unknown[]).length === names.length, 30_000, 250);
    expect(names.map((name) => dns.queries(`_hop.${name}`))).toEqual(names.map(() => 1));
  });
});
