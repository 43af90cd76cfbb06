import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Client } from 'pg';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';

/** Where the shared test infrastructure is: set by the global setup (containers) or defaults (local servers). */
export interface InfraEndpoints {
  postgresUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
}

export const ENDPOINT_ENV = {
  postgres: 'HOP_TEST_POSTGRES_URL',
  redis: 'HOP_TEST_REDIS_URL',
  kafka: 'HOP_TEST_KAFKA_BROKERS',
} as const;

export function endpoints(): InfraEndpoints {
  return {
    postgresUrl: process.env[ENDPOINT_ENV.postgres] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env[ENDPOINT_ENV.redis] ?? 'redis://127.0.0.1:6379',
    kafkaBrokers: (process.env[ENDPOINT_ENV.kafka] ?? '127.0.0.1:9092').split(','),
  };
}

export function tcpReachable(host: string, port: number, timeoutMs = 1_500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Isolated state for one test file on the shared servers: its own databases, Redis key prefix
 * and Kafka topic prefix, all removed by `cleanup()`.
 */
export class TestInfra {
  readonly id = `t${randomBytes(4).toString('hex')}`;
  readonly endpoints = endpoints();
  readonly redisKeyPrefix = `${this.id}:`;
  readonly topicPrefix = `${this.id}.`;
  private readonly databases = new Set<string>();

  /** URL of this file's own database for `name` (created by the service's start-up). */
  databaseUrl(name: string): string {
    const db = `${this.id}_${name}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
    this.databases.add(db);
    const url = new URL(this.endpoints.postgresUrl);
    url.pathname = `/${db}`;
    return url.toString();
  }

  /** Env for a service under test: its database, Redis, Kafka, with this file's isolation. */
  serviceEnv(database: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      DATABASE_URL: this.databaseUrl(database),
      REDIS_URL: this.endpoints.redisUrl,
      REDIS_KEY_PREFIX: this.redisKeyPrefix,
      KAFKA_BROKERS: this.endpoints.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: this.topicPrefix,
      LOG_LEVEL: process.env.HOP_TEST_LOG_LEVEL ?? 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      INTERNAL_SECRET: 'test-internal-secret-0123456789',
      ...extra,
    };
  }

  /** Where this file's Redis keys live, as a service's Redis config. */
  redisConfig(): { url: string; keyPrefix: string } {
    return { url: this.endpoints.redisUrl, keyPrefix: this.redisKeyPrefix };
  }

  redis(): Redis {
    const { url, keyPrefix } = this.redisConfig();
    return new Redis(url, { keyPrefix, lazyConnect: false, maxRetriesPerRequest: 2 });
  }

  kafka(): Kafka {
    return new Kafka({ clientId: this.id, brokers: this.endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
  }

  async cleanup(): Promise<void> {
    await Promise.allSettled([this.dropDatabases(), this.deleteRedisKeys(), this.deleteTopics()]);
  }

  private async dropDatabases(): Promise<void> {
    if (!this.databases.size) return;
    const client = new Client({ connectionString: this.endpoints.postgresUrl });
    await client.connect();
    try {
      for (const db of this.databases) await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }

  private async deleteRedisKeys(): Promise<void> {
    const redis = new Redis(this.endpoints.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.redisKeyPrefix}*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }

  private async deleteTopics(): Promise<void> {
    const admin = this.kafka().admin();
    await admin.connect();
    try {
      const mine = (await admin.listTopics()).filter((t) => t.startsWith(this.topicPrefix));
      if (mine.length) await admin.deleteTopics({ topics: mine });
    } finally {
      await admin.disconnect();
    }
  }
}

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(probe: () => Promise<T> | T, timeoutMs = 20_000, intervalMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
