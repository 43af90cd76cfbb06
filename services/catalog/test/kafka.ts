import type { EventEnvelope } from '@hop/events';
import type { TestInfra } from '@hop/testing';

export interface ReceivedEvent {
  key: string;
  event: EventEnvelope;
}

/** Reads a topic from the beginning into `received` until stopped: proof of what reached Kafka. */
export async function collectEvents(infra: TestInfra, topic: string) {
  const received: ReceivedEvent[] = [];
  const consumer = infra.kafka().consumer({ groupId: `${infra.id}-probe`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      received.push({ key: message.key?.toString() ?? '', event: JSON.parse(message.value?.toString() ?? 'null') });
    },
  });
  return {
    received,
    /** What arrived so far for one workspace. */
    of: (workspaceId: string) => received.filter((r) => r.event.workspaceId === workspaceId),
    stop: () => consumer.disconnect(),
  };
}
