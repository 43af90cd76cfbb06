import { afterRecheck, applyDomainChanges, domainQuotaOf, newDomain, presentDomain, toDomainRecord, txtProvesOwnership, verifiedDomain } from './custom-domain';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const domain = newDomain({ id: 'd', workspaceId: 'w', name: 'go.example.com', verificationToken: 'hop-verify=abc' }, t0);

describe('custom domains', () => {
  it('proves ownership only with a TXT record equal to the token (split strings joined)', () => {
    expect(txtProvesOwnership([['other'], ['hop-verify=abc']], 'hop-verify=abc')).toBe(true);
    expect(txtProvesOwnership([['hop-verify=', 'abc']], 'hop-verify=abc')).toBe(true);
    expect(txtProvesOwnership([['hop-verify=abcd']], 'hop-verify=abc')).toBe(false);
    expect(txtProvesOwnership([], 'hop-verify=abc')).toBe(false);
  });

  it('has per-plan quotas: free none, pro 3, business 20, enterprise unlimited, unknown none', () => {
    expect([domainQuotaOf('free'), domainQuotaOf('pro'), domainQuotaOf('business'), domainQuotaOf('enterprise'), domainQuotaOf('x')]).toEqual([0, 3, 20, null, 0]);
    expect(domainQuotaOf('constructor')).toBe(0);
  });

  it('applies changes and always moves the version forward', () => {
    const changed = applyDomainChanges(domain, { notFoundUrl: 'https://e.test/404', primary: true }, t0);
    expect(changed).toMatchObject({ notFoundUrl: 'https://e.test/404', primary: true, rootRedirectUrl: null });
    expect(toDomainRecord(changed).version).toBe(t0.getTime() + 1);
  });

  it('fails a verified domain only after the allowed number of consecutive re-checks without proof', () => {
    const t1 = new Date(t0.getTime() + 1000);
    const verified = verifiedDomain({ ...domain, failedChecks: 3, unverifiedSince: t0 }, t0, false);
    expect(verified).toMatchObject({ status: 'verified', failedChecks: 0, unverifiedSince: null, verifiedWithoutDns: false });
    const once = afterRecheck(verified, false, 3, t1);
    const twice = afterRecheck(once, false, 3, t1);
    expect([once.failedChecks, twice.failedChecks, twice.status]).toEqual([1, 2, 'verified']);
    expect(afterRecheck(twice, true, 3, t1)).toMatchObject({ status: 'verified', failedChecks: 0 });
    const lost = afterRecheck(twice, false, 3, t1);
    expect(lost).toMatchObject({ status: 'failed', failedChecks: 0, unverifiedSince: t1, verifiedAt: t0, lastCheckedAt: t1 });
    // The redirectors' record of the domain is replaced by its removal: a newer version.
    expect(lost.updatedAt.getTime()).toBeGreaterThan(verified.updatedAt.getTime());
  });

  it('presents the TXT record to publish', () => {
    expect(presentDomain(domain)).toMatchObject({ status: 'pending', verificationRecord: { type: 'TXT', name: '_hop.go.example.com', value: 'hop-verify=abc' } });
  });
});
