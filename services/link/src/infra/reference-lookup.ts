import { DomainError } from '@hop/errors';
import type { InternalClient, RequestContext } from '@hop/http';
import type { ReferenceKind, ReferenceLookup as ReferenceLookupPort } from '../app/ports';

/** The lookup routes accept at most this many ids per call (docs/internal-contracts.md). */
const MAX_IDS_PER_CALL = 10_000;

const ROUTES: Record<ReferenceKind, { client: 'catalog' | 'partner'; path: string }> = {
  collection: { client: 'catalog', path: '/internal/collections/lookup' },
  tag: { client: 'catalog', path: '/internal/tags/lookup' },
  partner: { client: 'partner', path: '/internal/partners/lookup' },
};

/** Asks the owning services which referenced ids exist in the workspace: one call per kind and request. */
export class ReferenceLookup implements ReferenceLookupPort {
  constructor(private readonly clients: { catalog: InternalClient; partner: InternalClient }) {}

  /** The ids of each kind that do not exist (or are deleted) in the caller's workspace. */
  async missing(ctx: RequestContext, wanted: Record<ReferenceKind, Set<string>>): Promise<Record<ReferenceKind, Set<string>>> {
    const kinds = Object.keys(ROUTES) as ReferenceKind[];
    const answers = await Promise.all(kinds.map((kind) => this.existing(ctx, kind, [...wanted[kind]])));
    return Object.fromEntries(
      kinds.map((kind, i) => [kind, new Set([...wanted[kind]].filter((id) => !answers[i].has(id)))]),
    ) as Record<ReferenceKind, Set<string>>;
  }

  private async existing(ctx: RequestContext, kind: ReferenceKind, ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const { client, path } = ROUTES[kind];
    for (let start = 0; start < ids.length; start += MAX_IDS_PER_CALL) {
      const answer = await this.clients[client].post<{ existing: string[] }>(path, ctx, { ids: ids.slice(start, start + MAX_IDS_PER_CALL) });
      if (!answer || !Array.isArray(answer.existing)) throw new DomainError('UPSTREAM_UNAVAILABLE');
      for (const id of answer.existing) found.add(id);
    }
    return found;
  }
}
