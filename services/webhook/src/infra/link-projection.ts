import type { DataSource } from 'typeorm';
import { preparedRows } from '@hop/db';
import type { InternalClient } from '@hop/http';
import type { LinkDirectory } from '../app/ports';
import type { LinkObject } from '../domain/payloads';
import { UUID } from './webhook-table';

/** How many links one batch asks the link service for at once (a first click on many new links). */
const FETCH_CONCURRENCY = 16;

/** The link's version: its updatedAt in ms, as links.v1 routes carry it. */
const versionOf = (link: LinkObject) => (typeof link.updatedAt === 'string' ? Date.parse(link.updatedAt) : 0) || 0;

/**
 * Links as the link service shows them (GET /internal/links/:id), kept in this service's own
 * database: a click's delivery reads its link here instead of asking the link service each time.
 */
export class LinkProjection implements LinkDirectory {
  constructor(
    private readonly db: DataSource,
    private readonly linkService: InternalClient,
  ) {}

  async find(workspaceId: string, linkIds: string[]): Promise<Map<string, LinkObject>> {
    const ids = UUID.test(workspaceId) ? linkIds.filter((id) => UUID.test(id)) : [];
    const found = new Map<string, LinkObject>();
    if (!ids.length) return found;
    // once per consumed batch: prepared
    const rows = await preparedRows<{ id: string; link: LinkObject }>(
      this.db,
      'webhook-find-links',
      'SELECT id, link FROM links WHERE workspace_id = $1 AND id = ANY($2::uuid[])',
      [workspaceId, ids],
    );
    for (const row of rows) found.set(row.id, row.link);
    const missing = ids.filter((id) => !found.has(id));
    for (let i = 0; i < missing.length; i += FETCH_CONCURRENCY) {
      const fetched = await Promise.all(missing.slice(i, i + FETCH_CONCURRENCY).map((id) => this.refresh(workspaceId, id)));
      for (const link of fetched) if (link) found.set(link.id, link);
    }
    return found;
  }

  async refresh(workspaceId: string, linkId: string): Promise<LinkObject | null> {
    const link = await this.linkService.get<LinkObject>(`/internal/links/${encodeURIComponent(linkId)}`, { workspaceId });
    if (!link) return null;
    // Two consumers may refresh the same link; the newer copy wins.
    await this.db.query(
      `INSERT INTO links (workspace_id, id, version, link) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, id) DO UPDATE SET version = excluded.version, link = excluded.link
       WHERE links.version <= excluded.version`,
      [workspaceId, link.id, versionOf(link), link],
    );
    return link;
  }

  async forget(workspaceId: string, linkIds: string[]): Promise<void> {
    const ids = UUID.test(workspaceId) ? linkIds.filter((id) => UUID.test(id)) : [];
    if (!ids.length) return;
    await this.db.query('DELETE FROM links WHERE workspace_id = $1 AND id = ANY($2::uuid[])', [workspaceId, ids]);
  }
}
