import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@hop/events';

/** Conversions whose click is not ingested yet (they can overtake it: the lead API reads the redirector's Redis). */
export class PendingConversions {
  async add(manager: EntityManager, events: EventEnvelope[], clickIdOf: (e: EventEnvelope) => string): Promise<void> {
    if (!events.length) return;
    await manager.query(
      `INSERT INTO pending_conversions (event_id, click_id, workspace_id, event)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::jsonb[]) ON CONFLICT (event_id) DO NOTHING`,
      [events.map((e) => e.id), events.map(clickIdOf), events.map((e) => e.workspaceId), events.map((e) => JSON.stringify(e))],
    );
  }

  /**
   * Removes and returns the pending conversions whose click is stored now: those of `clickIds`, or
   * (without ids) of any stored click. The delete locks them, so no two transactions apply one twice.
   */
  async take(manager: EntityManager, clickIds?: string[]): Promise<EventEnvelope[]> {
    const rows: { event: EventEnvelope }[] = clickIds
      ? await manager.query(
          `WITH taken AS (DELETE FROM pending_conversions WHERE click_id = ANY($1::text[]) RETURNING event) SELECT event FROM taken`,
          [clickIds],
        )
      : await manager.query(
          `WITH taken AS (DELETE FROM pending_conversions p USING click_ids i WHERE i.click_id = p.click_id RETURNING p.event)
           SELECT event FROM taken`,
        );
    return rows.map((r) => r.event);
  }

  async count(manager: EntityManager): Promise<number> {
    const [{ n }] = await manager.query('SELECT count(*)::int AS n FROM pending_conversions');
    return n;
  }
}
