import type { Kafka } from 'kafkajs';
import { checkConsumers, runConsumer, topicName, type RunningConsumer } from '@hop/events';
import { bootService, runMain, type Resources } from '@hop/runtime';
import type { Logger } from '@hop/telemetry';
import { projectDomainEvents, projectLinkEvents } from './app/project-link-events';
import { loadRedirectorConfig, type RedirectorConfig } from './config';
import { DomainProjection, RouteProjection } from './infra/route-projection';

/**
 * The route projector: consumes links.v1 and domains.v1 and keeps the Redis routes and served
 * domains in step, so Redis can be lost
 * and restored. `rebuild` reads the topic from the beginning under a fresh consumer group (the
 * compacted topic holds the latest event of every short link); `caughtUp` resolves once it has
 * processed every event that existed when it started.
 */
export async function startProjector(config: RedirectorConfig, options: { rebuild?: boolean } = {}) {
  const groupBase = `${config.kafka.topicPrefix}redirector-route-projector`;
  const groupId = options.rebuild ? `${groupBase}-rebuild-${Date.now()}` : groupBase;
  let consumer: RunningConsumer | undefined;
  let domainConsumer: RunningConsumer | undefined;
  let caughtUp!: Promise<void>;
  const running = await bootService({
    name: 'route-projector',
    // A rebuild runs beside the projector: it takes any free port.
    server: { ...config.server, port: options.rebuild ? 0 : config.projectorPort },
    redis: config.redis,
    kafka: { ...config.kafka, topics: [{ topic: 'links' }, { topic: 'domains' }] },
    build: ({ redis, kafka, logger }: Pick<Resources, 'redis' | 'kafka' | 'logger'>) => {
      const projection = new RouteProjection(redis, config.redis.keyPrefix);
      const domainProjection = new DomainProjection(redis, config.redis.keyPrefix);
      return {
        readiness: { consumers: () => checkConsumers([consumer, domainConsumer]) },
        start: async () => {
          const endOffsets = await highWatermarks(kafka, topicName('links', config.kafka.topicPrefix));
          const domainEndOffsets = await highWatermarks(kafka, topicName('domains', config.kafka.topicPrefix));
          domainConsumer = await runConsumer({
            kafka,
            groupId: `${groupId}-domains`,
            topic: 'domains',
            prefix: config.kafka.topicPrefix,
            logger,
            fromBeginning: true,
            handle: (events) => projectDomainEvents(events, domainProjection),
          });
          consumer = await runConsumer({
            kafka,
            groupId,
            topic: 'links',
            prefix: config.kafka.topicPrefix,
            logger,
            fromBeginning: true,
            handle: (events) => projectLinkEvents(events, projection),
          });
          caughtUp = Promise.all([
            waitUntilCommitted(kafka, groupId, topicName('links', config.kafka.topicPrefix), endOffsets, logger),
            waitUntilCommitted(kafka, `${groupId}-domains`, topicName('domains', config.kafka.topicPrefix), domainEndOffsets, logger),
          ]).then(() => undefined);
        },
        stop: async () => {
          await Promise.all([consumer?.stop(), domainConsumer?.stop()]);
        },
      };
    },
  });
  return Object.assign(running, {
    groupId,
    /** Resolves once the events present at start are projected (for rebuilds and tests). */
    caughtUp: () => caughtUp,
  });
}

async function highWatermarks(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

async function waitUntilCommitted(kafka: Kafka, groupId: string, topic: string, end: Map<number, bigint>, logger: Logger): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (;;) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const behind = committed.partitions.filter((p) => {
        const target = end.get(p.partition) ?? 0n;
        return target > 0n && (p.offset === '-1' ? 0n : BigInt(p.offset)) < target;
      });
      if (!behind.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    logger.info({ groupId, topic }, 'projected up to the end of the topic at start');
  } finally {
    await admin.disconnect();
  }
}

if (require.main === module) {
  if (process.argv.includes('--rebuild')) {
    // One-shot: project the whole topic into Redis, then exit.
    const config = loadRedirectorConfig();
    startProjector(config, { rebuild: true })
      .then(async (projector) => {
        await projector.caughtUp();
        await projector.close();
        process.exit(0);
      })
      .catch((err) => {
        console.error('route rebuild failed:', err);
        process.exit(1);
      });
  } else runMain(() => loadRedirectorConfig(), (config) => startProjector(config));
}
