import type { InternalClient } from '@hop/http';
import type { Caller, LinkObject } from '../domain/model';

/** The link object as the Links API shows it, from the link service (which owns links). */
export class LinkDirectory {
  constructor(private readonly links: InternalClient) {}

  get(caller: Caller, linkId: string): Promise<LinkObject | null> {
    return this.links.get<LinkObject>(`/internal/links/${encodeURIComponent(linkId)}`, caller);
  }
}
