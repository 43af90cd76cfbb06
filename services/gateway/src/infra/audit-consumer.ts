import type { Kafka } from 'kafkajs';
import { ensureTopics, runConsumer, type RunningConsumer } from '@hop/events';
import type { Logger } from '@hop/telemetry';
import { recordAuditEvents } from '../app/record-audit-events';
import type { AccessStore } from '../app/ports';

const RETRY_MS = 10_000;

/**
 * Consumes audit.v1 (group `gateway-audit`) into the audit log, idempotent on the event id.
 * Started in the background and retried until Kafka answers: the gateway serves /api without
 * Kafka, so neither its start nor its readiness waits for this consumer.
 */
export function startAuditConsumer(kafka: Kafka, prefix: string, access: AccessStore, logger: Logger): { stop(): Promise<void> } {
  let running: RunningConsumer | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const attempt = async (): Promise<void> => {
    try {
      await ensureTopics(kafka, prefix, [{ topic: 'audit' }]);
      const consumer = await runConsumer({
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
      if (stopped) await consumer.stop();
      else running = consumer;
    } catch (err) {
      if (stopped) return;
      logger.error({ err }, `audit.v1 consumer could not start; retrying in ${RETRY_MS / 1000} s`);
      timer = setTimeout(() => void attempt(), RETRY_MS);
    }
  };
  // attempt() handles its own failures (it logs and retries), so nothing is left to catch here
  void attempt();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.stop();
    },
  };
}
