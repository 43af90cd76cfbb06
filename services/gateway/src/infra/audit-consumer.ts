import type { Kafka } from 'kafkajs';
import { runConsumer, type RunningConsumer } from '@hop/events';
import type { Logger } from '@hop/telemetry';
import { recordAuditEvents } from '../app/record-audit-events';
import type { AccessStore } from '../app/ports';

/** Consumes audit.v1 (group `gateway-audit`) into the audit log; idempotent on the event id. */
export function startAuditConsumer(kafka: Kafka, prefix: string, access: AccessStore, logger: Logger): Promise<RunningConsumer> {
  return runConsumer({
    kafka,
    groupId: `${prefix}gateway-audit`,
    topic: 'audit',
    prefix,
    logger,
    handle: async (events) => {
      const { skipped } = await access.transaction((tx) => recordAuditEvents(tx, events));
      if (skipped.length) logger.warn({ eventIds: skipped }, 'audit events without a workspace id skipped');
    },
  });
}
