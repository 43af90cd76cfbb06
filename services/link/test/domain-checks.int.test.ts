import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { eventually, gatewayClient, startDnsServer, TestInfra, type DnsServer } from '@hop/testing';
import { loadLinkConfig } from '../src/config';
import { newDomain, type CustomDomain } from '../src/domain/custom-domain';
import { DomainStore } from '../src/infra/domain-store';
import type { Queryable } from '../src/app/ports';
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

  // Which domains a round claims, on the real table (created by the instances' migrations). The
  // test's clock runs ten days ahead: to the running instances these rows were checked in the future.
  const HOUR = 3_600_000;
  const now = new Date(Date.now() + 240 * HOUR);
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
  const workspaceId = randomUUID();
  const domain = (name: string, fields: Partial<CustomDomain>): CustomDomain => ({
    ...newDomain({ id: randomUUID(), workspaceId, name: `${name}.due.example.test`, verificationToken: 'hop-verify=x' }, ago(1000)),
    ...fields,
  });

  it('claims unverified domains in their window (or still pending), verified ones not re-checked lately, never operator-verified ones; each once', async () => {
    const db = new Client({ connectionString: infra.databaseUrl('link') });
    await db.connect();
    const q: Queryable = { query: async <T>(sql: string, params?: unknown[]) => (await db.query(sql, params)).rows as T };
    try {
      const store = new DomainStore();
      const all = [
        domain('young-failed', { status: 'failed', createdAt: ago(1), lastCheckedAt: ago(1) }),
        domain('old-pending', { status: 'pending', createdAt: ago(100), lastCheckedAt: ago(1) }),
        domain('old-failed', { status: 'failed', createdAt: ago(100), lastCheckedAt: ago(1) }),
        domain('lapsed-lately', { status: 'failed', createdAt: ago(1000), verifiedAt: ago(900), unverifiedSince: ago(2), lastCheckedAt: ago(1) }),
        domain('checked-now', { status: 'failed', createdAt: ago(1), lastCheckedAt: now }),
        domain('verified-stale', { status: 'verified', verifiedAt: ago(900), lastCheckedAt: ago(7) }),
        domain('verified-fresh', { status: 'verified', verifiedAt: ago(900), lastCheckedAt: ago(1) }),
        domain('operator', { status: 'verified', verifiedAt: ago(900), lastCheckedAt: ago(900), verifiedWithoutDns: true }),
      ];
      await store.save(q, all);
      const due = { unverified: { before: new Date(now.getTime() - 5 * 60_000), windowStart: ago(72) }, verifiedBefore: ago(6) };
      const claimed = await store.claimDue(q, due, now, 50);
      const names = (ids: { id: string }[]) => ids.map(({ id }) => all.find((d) => d.id === id)?.name.split('.')[0]).filter(Boolean).sort();
      expect(names(claimed)).toEqual(['lapsed-lately', 'old-pending', 'verified-stale', 'young-failed']);
      // Claimed rows are marked checked: the next round (another instance) finds none of them due.
      expect(names(await store.claimDue(q, due, now, 50))).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
