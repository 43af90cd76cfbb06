import type http from 'node:http';
import type { Express } from 'express';
import Redis, { type RedisOptions } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { KafkaConfig, PostgresConfig, RedisConfig, ServerConfig } from '@hop/config';
import { openDatabase, pingDatabase, type DataSource, type EntityClass, type MigrationClass } from '@hop/db';
import {
  CreateOutbox1700000000000,
  EventProducer,
  OUTBOX_ENTITIES,
  OutboxRelay,
  createKafka,
  ensureTopics,
  kafkaReadiness,
  type TopicSpec,
} from '@hop/events';
import { closeOnSignals, createApp, serve, type ReadinessCheck, type RunningServer } from '@hop/http';
import { createLogger, type Logger } from '@hop/telemetry';

export function createRedis(config: RedisConfig, options: RedisOptions = {}): Redis {
  return new Redis(config.url, {
    keyPrefix: config.keyPrefix,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    ...options,
  });
}

export interface Resources {
  logger: Logger;
  db: DataSource;
  redis: Redis;
  kafka: Kafka;
  producer: EventProducer;
  /** Present when the service publishes through a transactional outbox. */
  relay: OutboxRelay;
}

export interface Built {
  /** Express routes (API services) … */
  routes?: (app: Express) => void;
  /** … or a bare node:http handler (the redirector's hot path). */
  handler?: http.RequestListener;
  /**
   * A bare node:http handler tried before the express routes, for a hot path express would slow
   * down (the gateway's /api); returns false for requests it leaves to express.
   */
  fastPath?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  readiness?: Record<string, ReadinessCheck>;
  /** Starts background work (consumers, timers) once the server listens. */
  start?: () => Promise<void> | void;
  /** Stops background work before the shared resources close. */
  stop?: () => Promise<void>;
}

export interface BootOptions<R extends Partial<Resources>> {
  name: string;
  server: ServerConfig;
  postgres?: PostgresConfig & { entities: EntityClass[]; migrations: MigrationClass[] };
  redis?: RedisConfig;
  kafka?: KafkaConfig & { topics: TopicSpec[]; outbox?: boolean };
  jsonLimit?: string | false;
  /** Verify the gateway's proof on /api/* and /internal/* (default true). */
  internalProof?: boolean;
  build: (resources: R) => Promise<Built> | Built;
}

export type RunningService<R extends Partial<Resources>> = RunningServer & R & { logger: Logger };

/**
 * Opens what a service needs (its database with migrations, Redis, Kafka topics, producer and
 * outbox relay), serves its routes and closes everything in reverse order on `close()`.
 */
export async function bootService<R extends Partial<Resources>>(options: BootOptions<R>): Promise<RunningService<R>> {
  const logger = createLogger(options.name, options.server.logLevel);
  const resources: Partial<Resources> = { logger };
  const readiness: Record<string, ReadinessCheck> = {};
  const closers: (() => Promise<unknown>)[] = [];
  try {
    if (options.postgres) {
      const { url, poolSize, entities, migrations } = options.postgres;
      const withOutbox = options.kafka?.outbox;
      const db = await openDatabase({
        url,
        poolSize,
        logger,
        entities: withOutbox ? [...entities, ...OUTBOX_ENTITIES] : entities,
        migrations: withOutbox ? [CreateOutbox1700000000000, ...migrations] : migrations,
      });
      resources.db = db;
      readiness.postgres = () => pingDatabase(db);
      closers.push(() => db.destroy());
    }
    if (options.redis) {
      const redis = createRedis(options.redis);
      resources.redis = redis;
      readiness.redis = () => redis.ping();
      closers.push(() => Promise.resolve(redis.disconnect()));
    }
    if (options.kafka) {
      const kafka = createKafka(options.kafka, logger);
      resources.kafka = kafka;
      await ensureTopics(kafka, options.kafka.topicPrefix, options.kafka.topics);
      readiness.kafka = kafkaReadiness(kafka);
      const producer = new EventProducer(kafka, options.kafka.topicPrefix);
      resources.producer = producer;
      closers.push(() => producer.disconnect());
      if (options.kafka.outbox && resources.db) {
        const relay = new OutboxRelay({
          dataSource: resources.db,
          producer,
          topicPrefix: options.kafka.topicPrefix,
          service: options.name,
          logger,
        });
        resources.relay = relay;
        relay.start();
        closers.push(() => relay.stop());
      }
    }
    const built = await options.build(resources as R);
    Object.assign(readiness, built.readiness);
    const app =
      built.handler ??
      createApp({
        service: options.name,
        logger,
        internalSecret: options.internalProof === false ? undefined : options.server.internalSecret,
        readiness,
        jsonLimit: options.jsonLimit,
        routes: built.routes ?? (() => undefined),
      });
    const { fastPath } = built;
    const handler: http.RequestListener = fastPath ? (req, res) => fastPath(req, res) || app(req, res) : app;
    const closeAll = async () => {
      await built.stop?.();
      for (const close of closers.reverse()) await close().catch((err: unknown) => logger.warn({ err }, 'error while closing'));
    };
    const running = await serve(handler, {
      port: options.server.port,
      host: options.server.host,
      logger,
      shutdownTimeoutMs: options.server.shutdownTimeoutMs,
      onClose: closeAll,
    });
    await built.start?.();
    logger.info({ url: running.url }, `${options.name} listening`);
    return Object.assign(running, resources) as RunningService<R>;
  } catch (err) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw err;
  }
}

/** The entry point of a service process: load config, start, close gracefully on SIGTERM/SIGINT. */
export function runMain<C>(load: () => C, start: (config: C) => Promise<{ close(): Promise<void>; logger: Logger }>): void {
  let config: C;
  try {
    config = load();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  start(config).then(
    (running) => closeOnSignals(() => running.close(), running.logger),
    (err) => {
      console.error('failed to start:', err);
      process.exit(1);
    },
  );
}
export { workerScript } from './worker-script';
