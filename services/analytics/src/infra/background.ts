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
  /**
   * Jobs run until they finish: [name, job]. A job resolves true once finished; false (not now:
   * another instance runs it) or an error retries it after a backoff. `signal` aborts on stop.
   */
  once: [string, (signal: AbortSignal) => Promise<boolean>][];
  /** First retry delay of `once` jobs, doubled up to 64 times it. */
  retryMs?: number;
}

/** The consumer groups on clicks.v1, conversions.v1 and links.v1 and the periodic jobs, started after the server listens. */
export class BackgroundWork {
  private consumers: RunningConsumer[] = [];
  private timers: NodeJS.Timeout[] = [];
  private readonly stopping = new AbortController();
  private onceRuns: Promise<void>[] = [];

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
    // not awaited: readiness never waits for them
    this.onceRuns = this.options.once.map(([name, job]) => this.runUntilFinished(name, job));
  }

  private async runUntilFinished(name: string, job: (signal: AbortSignal) => Promise<boolean>): Promise<void> {
    const { logger, retryMs = 1_000 } = this.options;
    const signal = this.stopping.signal;
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        if (await job(signal)) return;
      } catch (err) {
        logger.warn({ err, job: name, attempt }, 'background job failed; retrying');
      }
      const delayMs = retryMs * 2 ** Math.min(attempt, 6);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }

  /** Readiness: fails until every consumer has joined its group, and while one restarts after a crash. */
  check(): Promise<void> {
    return checkConsumers(this.consumers);
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.stopping.abort();
    await Promise.all(this.onceRuns);
    await Promise.all(this.consumers.map((c) => c.stop()));
  }
}
