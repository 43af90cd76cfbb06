import type { Kafka } from 'kafkajs';
import { checkConsumers, runConsumer, type RunningConsumer, type TopicEvent } from '@hop/events';
import type { Logger } from '@hop/telemetry';

export interface BackgroundOptions {
  kafka: Kafka;
  topicPrefix: string;
  logger: Logger;
  clicksGroup: string;
  conversionsGroup: string;
  linksGroup: string;
  clickConsumers: number;
  ingestClicks: (events: TopicEvent<'clicks'>[]) => Promise<void>;
  recordConversions: (events: TopicEvent<'conversions'>[]) => Promise<void>;
  projectLinks: (events: TopicEvent<'links'>[]) => Promise<void>;
  /** Periodic jobs: [name, interval, job]. */
  jobs: [string, number, () => Promise<unknown>][];
}

/** The consumer groups on clicks.v1, conversions.v1 and links.v1 and the periodic jobs, started after the server listens. */
export class BackgroundWork {
  private consumers: RunningConsumer[] = [];
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: BackgroundOptions) {}

  async start(): Promise<void> {
    const { kafka, topicPrefix: prefix, logger } = this.options;
    const clickConsumers = Array.from({ length: this.options.clickConsumers }, () =>
      runConsumer({ kafka, prefix, logger, groupId: this.options.clicksGroup, topic: 'clicks', handle: this.options.ingestClicks }),
    );
    const conversionConsumer = runConsumer({
      kafka,
      prefix,
      logger,
      groupId: this.options.conversionsGroup,
      topic: 'conversions',
      handle: this.options.recordConversions,
    });
    const linkConsumer = runConsumer({ kafka, prefix, logger, groupId: this.options.linksGroup, topic: 'links', handle: this.options.projectLinks });
    this.consumers = await Promise.all([...clickConsumers, conversionConsumer, linkConsumer]);
    for (const [name, intervalMs, job] of this.options.jobs) {
      const timer = setInterval(() => {
        job().catch((err: unknown) => logger.error({ err, job: name }, 'background job failed'));
      }, intervalMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Readiness: fails until every consumer has joined its group, and while one restarts after a crash. */
  check(): Promise<void> {
    return checkConsumers(this.consumers);
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all(this.consumers.map((c) => c.stop()));
  }
}
