import type { Kafka } from 'kafkajs';
import { checkConsumers, runConsumer, type EventEnvelope, type RunningConsumer, type TopicKey } from '@hop/events';
import type { Logger } from '@hop/telemetry';
import type { SourceEvent } from '../app/ports';
import type { ClickRecorded, ConversionRecorded } from '../domain/payloads';

type Data = Record<string, unknown>;
const isData = (value: unknown): value is Data => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The consumers validated the event against its schema (libs/events); these guards only narrow the type. */
const isClick = (data: Data): data is Data & ClickRecorded =>
  typeof data.clickId === 'string' && typeof data.linkId === 'string' && typeof data.shortId === 'string' && typeof data.timestamp === 'string';
const isConversion = (data: Data): data is Data & ConversionRecorded =>
  typeof data.customerId === 'string' && typeof data.linkId === 'string' && typeof data.clickId === 'string' && typeof data.eventName === 'string';

/** A validated envelope of links.v1, clicks.v1 or conversions.v1 as the use case reads it; null for types webhooks ignore. */
export function toSourceEvent(envelope: EventEnvelope): SourceEvent | null {
  const base = { id: envelope.id, workspaceId: envelope.workspaceId, occurredAt: new Date(envelope.occurredAt) };
  const data = envelope.data;
  if (!isData(data)) return null;
  switch (envelope.type) {
    case 'link.upserted': {
      const route = data.route;
      if (!isData(route) || typeof route.linkId !== 'string' || typeof route.version !== 'number') return null;
      return { ...base, kind: 'link.upserted', linkId: route.linkId, version: route.version };
    }
    case 'link.deleted':
      return typeof data.linkId === 'string' && typeof data.version === 'number'
        ? { ...base, kind: 'link.deleted', linkId: data.linkId, version: data.version }
        : null;
    case 'click.recorded':
      return isClick(data) ? { ...base, kind: 'link.clicked', click: data } : null;
    case 'lead.created':
    case 'sale.created':
      return isConversion(data) ? { ...base, kind: envelope.type, conversion: data } : null;
    default:
      return null;
  }
}

export interface ConsumerSettings {
  kafka: Kafka;
  topicPrefix: string;
  logger: Logger;
  /** Group ids are `${groupPrefix}-links` … */
  groupPrefix: string;
  record: (events: SourceEvent[]) => Promise<unknown>;
}

const TOPICS: TopicKey[] = ['links', 'clicks', 'conversions'];

/** One consumer group per source topic; a batch's offsets are committed once its deliveries are recorded. */
export class EventConsumers {
  private running: RunningConsumer[] = [];

  constructor(private readonly settings: ConsumerSettings) {}

  async start(): Promise<void> {
    const { kafka, topicPrefix: prefix, logger, groupPrefix, record } = this.settings;
    this.running = await Promise.all(
      TOPICS.map((topic) =>
        runConsumer({
          kafka,
          prefix,
          logger,
          topic,
          groupId: `${groupPrefix}-${topic}`,
          // Each batch costs three statements, an offset commit and a fetch: under a steady stream
          // a batch per 100 ms (or 256 KB) instead of one per few events; a backlog fills it at once.
          minBytes: 256 * 1024,
          handle: async (events) => {
            const sources = events.map(toSourceEvent).filter((e): e is SourceEvent => e !== null);
            if (sources.length) await record(sources);
          },
        }),
      ),
    );
  }

  /** Readiness: fails until every consumer has joined its group, and while one restarts after a crash. */
  check(): Promise<void> {
    return checkConsumers(this.running);
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((c) => c.stop()));
  }
}
