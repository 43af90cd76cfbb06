import type { EntityManager } from 'typeorm';
import type { WorkspaceClick } from '../domain/click';
import type { ConversionEvent, PendingConversions as PendingConversionsPort } from '../app/ports';

/** Conversions whose click is not ingested yet (they can overtake it: the lead API reads the redirector's Redis). */
export class PendingConversions implements PendingConversionsPort {
  async add(manager: EntityManager, events: ConversionEvent[], clickIdOf: (e: ConversionEvent) => string): Promise<void> {
    if (!events.length) return;
    await manager.query(
      `INSERT INTO pending_conversions (event_id, click_id, workspace_id, event)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::jsonb[]) ON CONFLICT (event_id) DO NOTHING`,
      [events.map((e) => e.id), events.map(clickIdOf), events.map((e) => e.workspaceId), events.map((e) => JSON.stringify(e))],
    );
  }

  /**
   * Removes and returns the pending conversions whose click is stored now: those of `clicks` (each
   * in its own workspace), or (without them) of any stored click of the conversion's workspace. The
   * delete locks them, so no two transactions apply one twice.
   */
  async take(manager: EntityManager, clicks?: WorkspaceClick[]): Promise<ConversionEvent[]> {
    const rows: { event: ConversionEvent }[] = clicks
      ? await manager.query(
          `WITH taken AS (
             DELETE FROM pending_conversions p USING unnest($1::uuid[], $2::text[]) AS s(workspace_id, click_id)
             WHERE p.workspace_id = s.workspace_id AND p.click_id = s.click_id RETURNING p.event)
           SELECT event FROM taken`,
          [clicks.map((c) => c.workspaceId), clicks.map((c) => c.clickId)],
        )
      : await manager.query(
          `WITH taken AS (
             DELETE FROM pending_conversions p USING click_ids i
             WHERE i.workspace_id = p.workspace_id AND i.click_id = p.click_id RETURNING p.event)
           SELECT event FROM taken`,
        );
    return rows.map((r) => r.event);
  }

  async count(manager: EntityManager): Promise<number> {
    const [{ n }] = await manager.query<{ n: number }[]>('SELECT count(*)::int AS n FROM pending_conversions');
    return n;
  }
}
