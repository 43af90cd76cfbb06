import { DomainError } from '@hop/errors';
import { signInternalRequest } from '@hop/http';
import type { LinkDomains, ServiceAnswer } from '../app/ports';

/** The link service's operator routes for domains, signed like every internal call. */
export class HttpLinkDomains implements LinkDomains {
  constructor(
    private readonly linkUrl: string,
    private readonly secret: string,
  ) {}

  async verifyWithoutDns(workspaceId: string, name: string): Promise<ServiceAnswer> {
    const path = '/internal/domains/verify-without-dns';
    const headers = { 'content-type': 'application/json', ...signInternalRequest(this.secret, 'POST', path, {}) };
    try {
      const response = await fetch(new URL(path, this.linkUrl), {
        method: 'POST',
        headers,
        body: JSON.stringify({ workspaceId, name }),
        signal: AbortSignal.timeout(10_000),
      });
      return { status: response.status, body: await response.json() };
    } catch {
      throw new DomainError('UPSTREAM_UNAVAILABLE');
    }
  }
}
