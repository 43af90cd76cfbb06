import { auditRecordedSchema, type EventEnvelope } from '@hop/events';
import { validate } from '@hop/http';
import type { AuditEntry } from '../domain/audit';
import type { AccessTx } from './ports';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The data of an audit.recorded event (validated against libs/events' schema by the consumer). */
export interface AuditRecordedData {
  actor: { type: AuditEntry['actor']['type']; id: string | null; label?: string | null };
  action: string;
  target?: { type: string; id: string | null } | null;
  details?: Record<string, unknown> | null;
  ip?: string | null;
}

/**
 * Appends audit.v1 events reported by other services to their workspaces' logs. Idempotent on
 * the event id (a replay adds nothing); events naming no valid workspace are skipped (returned)
 * rather than blocking the partition.
 */
export async function recordAuditEvents(access: Pick<AccessTx, 'appendAuditOnce'>, events: EventEnvelope[]): Promise<{ added: number; skipped: string[] }> {
  let added = 0;
  const skipped: string[] = [];
  for (const event of events) {
    if (!UUID.test(event.workspaceId)) {
      skipped.push(event.id);
      continue;
    }
    // already checked against the topic's schema by the consumer: this only gives the data its type
    const data = validate<AuditRecordedData>(auditRecordedSchema, event.data);
    const { actor, action, target, details, ip } = data;
    const entry: AuditEntry = {
      id: event.id,
      workspaceId: event.workspaceId,
      occurredAt: new Date(event.occurredAt),
      actor: { type: actor.type, id: actor.id, label: actor.label ?? null },
      action,
      target: target ?? null,
      details: details ?? null,
      ip: ip ?? null,
    };
    if (await access.appendAuditOnce(entry)) added++;
  }
  return { added, skipped };
}
