import type { DataSource } from 'typeorm';
import type { LinkCollectionStore as LinkCollectionStorePort } from '../app/ports';
import type { LinkCollection } from '../domain/link-collection';

export class LinkCollectionStore implements LinkCollectionStorePort {
  constructor(private readonly db: DataSource) {}

  /** One statement a batch (each link once: see newestPerLink); a stored newer version wins. */
  async upsert(entries: LinkCollection[]): Promise<void> {
    await this.db.query(
      `INSERT INTO link_collections (link_id, workspace_id, collection_id, version)
       SELECT "linkId", "workspaceId", "collectionId", version
       FROM json_to_recordset($1::json) AS e("linkId" uuid, "workspaceId" uuid, "collectionId" uuid, version bigint)
       ON CONFLICT (link_id) DO UPDATE SET workspace_id = EXCLUDED.workspace_id, collection_id = EXCLUDED.collection_id, version = EXCLUDED.version
       WHERE link_collections.version <= EXCLUDED.version`,
      [JSON.stringify(entries)],
    );
  }

  async inCollection(workspaceId: string, collectionId: string, linkIds: string[]): Promise<Set<string>> {
    const rows: { link_id: string }[] = await this.db.query(
      'SELECT link_id FROM link_collections WHERE workspace_id = $1 AND collection_id = $2 AND link_id = ANY($3::uuid[])',
      [workspaceId, collectionId, linkIds],
    );
    return new Set(rows.map((r) => r.link_id));
  }
}
