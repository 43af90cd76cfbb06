import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';
import type { Readable } from 'node:stream';
import { GenericContainer, Wait, getContainerRuntimeClient } from 'testcontainers';
import type { InfraEndpoints } from './infra';

export interface StartedContainers {
  endpoints: InfraEndpoints;
  stop(): Promise<void>;
}

/**
 * The official images at pinned versions; each name can be overridden so that locally built images
 * (infra/images/build.sh: hop-infra/postgres:15, hop-infra/redis:7, hop-infra/kafka:3.9) stand in
 * where no registry is reachable.
 */
export const images = (env: NodeJS.ProcessEnv = process.env) => ({
  postgres: env.HOP_POSTGRES_IMAGE || 'postgres:15.8',
  redis: env.HOP_REDIS_IMAGE || 'redis:7.4.1',
  kafka: env.HOP_KAFKA_IMAGE || 'apache/kafka:3.9.1',
});

export type InfraMode = 'containers' | 'local';

/**
 * Which test infrastructure to use: HOP_TEST_INFRA=containers|local forces one; otherwise
 * testcontainers when a Docker engine answers, else the loopback servers (infra/up.sh). `reason`
 * is the one line to print when the automatic choice falls back to loopback.
 */
export async function chooseInfraMode(env: NodeJS.ProcessEnv = process.env): Promise<{ mode: InfraMode; reason?: string }> {
  const forced = env.HOP_TEST_INFRA;
  if (forced === 'containers' || forced === 'local') return { mode: forced };
  if (forced) throw new Error(`HOP_TEST_INFRA must be "containers" or "local" (got "${forced}")`);
  try {
    await getContainerRuntimeClient();
    return { mode: 'containers' };
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    return { mode: 'local', reason: `no Docker engine reachable (${why}): tests use the loopback servers of infra/up.sh` };
  }
}

const KAFKA_PORT = 9092;

/** What a PostgreSQL log says when a server process died and the others were reset (crash recovery). */
const CRASH = /terminated by signal|was terminated by exception|PANIC|terminating any other active server processes|all server processes terminated; reinitializing/;

/**
 * The last lines of a container's log, kept so that a server crash during the run can be shown at
 * its end: its tests only see "Connection terminated unexpectedly", then "in recovery mode".
 */
class ServerLog {
  private readonly lines: string[] = [];
  private crashed = false;

  follow(stream: Readable): void {
    let rest = '';
    stream.on('data', (chunk: Buffer | string) => {
      const text = rest + chunk.toString();
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (CRASH.test(line)) this.crashed = true;
        this.lines.push(line);
        if (this.lines.length > 200) this.lines.shift();
      }
    });
  }

  reportCrash(name: string): void {
    if (this.crashed) console.error(`\n${name} crashed during the run; the last lines of its log:\n${this.lines.join('\n')}\n`);
  }
}

export async function startContainers(): Promise<StartedContainers> {
  const names = images();
  const postgresLog = new ServerLog();
  const [postgres, redis] = await Promise.all([
    new PostgreSqlContainer(names.postgres)
      .withUsername('postgres')
      .withPassword('postgres')
      .withDatabase('postgres')
      // every test file creates its own databases and services open pools in them; JIT compiles
      // nothing a test's small tables need, and is the part of PostgreSQL most likely to crash
      .withCommand(['postgres', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'jit=off'])
      // Docker's default /dev/shm (64 MB) is what parallel queries' shared memory comes from
      .withSharedMemorySize(512 * 1024 * 1024)
      // testcontainers' own check runs every 250 ms for the whole run: an exec each time, which
      // on 2 loaded cores kept timing out; once a second is enough to see the server up
      .withHealthCheck({ test: ['CMD-SHELL', 'pg_isready --host localhost --username postgres --dbname postgres'], interval: 1_000, timeout: 5_000, retries: 120 })
      .withLogConsumer((stream) => postgresLog.follow(stream))
      .start(),
    new RedisContainer(names.redis).start(),
  ]);
  // Kafka advertises the host port, which is only known once mapped: fix the host port instead.
  const hostPort = 19092 + Math.floor(Math.random() * 500);
  const kafka = await new GenericContainer(names.kafka)
    .withExposedPorts({ container: KAFKA_PORT, host: hostPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${KAFKA_PORT},CONTROLLER://0.0.0.0:9093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${hostPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(120_000)
    .start();
  return {
    endpoints: {
      postgresUrl: `postgres://postgres:postgres@${postgres.getHost()}:${postgres.getPort()}/postgres`,
      redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
      kafkaBrokers: [`127.0.0.1:${hostPort}`],
    },
    stop: async () => {
      postgresLog.reportCrash('PostgreSQL');
      await Promise.allSettled([postgres.stop(), redis.stop(), kafka.stop()]);
    },
  };
}
