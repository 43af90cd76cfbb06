import { createLogger } from '@hop/telemetry';
import { ensureTopics, runConsumer, type EventEnvelope, type RunningConsumer } from '@hop/events';
import type { TestInfra } from '@hop/testing';

export type ClickEventData = { clickId: string; linkId: string; [field: string]: unknown };

/** Every clicks.v1 event of this test file's topic prefix, as a consumer reads them. */
export async function collectClickEvents(infra: TestInfra, name: string) {
  const kafka = infra.kafka();
  // The redirector creates the topic with its first batch; the consumer subscribes before that.
  await ensureTopics(kafka, infra.topicPrefix, [{ topic: 'clicks' }]);
  const events: EventEnvelope<string, ClickEventData>[] = [];
  const consumer: RunningConsumer = await runConsumer({
    kafka,
    groupId: `${infra.id}-${name}`,
    topic: 'clicks',
    prefix: infra.topicPrefix,
    logger: createLogger(name, 'silent'),
    handle: async (batch) => void events.push(...(batch as EventEnvelope<string, ClickEventData>[])),
  });
  return {
    events,
    ofClick: (clickId: string) => events.find((e) => e.data.clickId === clickId),
    ofLink: (linkId: string) => events.filter((e) => e.data.linkId === linkId),
    stop: () => consumer.stop(),
  };
}
