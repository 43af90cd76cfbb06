import { DomainError } from '@hop/errors';
import type { InternalClient } from '@hop/http';
import type { LinkCollectionSource as LinkCollectionSourcePort, LinkCollectionsPage } from '../app/ports';

const PAGE_SIZE = 1_000;

/** Pages of the link service's links with their collection (it owns links). */
export class LinkCollectionSource implements LinkCollectionSourcePort {
  constructor(private readonly links: InternalClient) {}

  async page(after: string | null): Promise<LinkCollectionsPage> {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(after ? { after } : {}) });
    const page = await this.links.get<LinkCollectionsPage>(`/internal/link-collections?${query.toString()}`, {});
    // a 404 is a link service from before the route: retried later like an outage
    if (!page) throw new DomainError('UPSTREAM_UNAVAILABLE');
    return page;
  }
}
