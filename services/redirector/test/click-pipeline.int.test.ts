import fs from 'node:fs';
import path from 'node:path';
import type Redis from 'ioredis';
import { createKafka } from '@hop/events';
import { createLogger } from '@hop/telemetry';
import { TestInfra, eventually } from '@hop/testing';
import { createClickRecorder, ipHasher } from '../src/app/click-recorder';
import { ClickPipeline } from '../src/infra/click-pipeline';
import { KafkaSender } from '../src/infra/kafka-sender';
import { Spool } from '../src/infra/spool';
import { newRoute, tempDir } from './helpers';

/** The pipeline with no Kafka at all (nothing listens on the broker port): everything must end up on disk. */
describe('ClickPipeline without Kafka', () => {
  const infra = new TestInfra();
  const logger = createLogger('pipeline-test', 'silent');
  let redis: Redis;
  beforeAll(() => {
    redis = infra.redis();
  });
  afterAll(async () => {
    redis?.disconnect();
    await infra.cleanup();
  });

  const nowhere = { brokers: ['127.0.0.1:1'], clientId: 'nowhere', topicPrefix: infra.topicPrefix };
  const route = newRoute();
  const pipelineIn = (dir: string, settings: { batchSize: number; lingerMs: number; bufferMax: number }) => {
    const pipeline = new ClickPipeline({
      kafka: createKafka(nowhere, logger),
      sender: new KafkaSender({ ...nowhere, recentClicks: infra.redisConfig(), logger }),
      topicPrefix: infra.topicPrefix,
      spool: new Spool(dir, logger),
      ...settings,
      logger,
    });
    pipeline.start();
    const recorder = createClickRecorder({ hashIp: ipHasher('pipeline-test-secret'), sink: pipeline });
    const click = () => recorder.record({ route, destination: route.url, trigger: 'link', qr: false, bot: false, referrer: null, userAgent: 'ua', ip: '198.51.100.1', country: null, city: null, visitorId: null });
    return { pipeline, click };
  };
  const spooledIds = (dir: string) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.spool'))
      .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean))
      .map((line) => JSON.parse(line.slice(line.indexOf('\t') + 1)).data.clickId);

  it('spools what it could not send at stop, and clicks recorded after stop, without blocking the event loop', async () => {
    const dir = tempDir('no-kafka-spool');
    const { pipeline, click } = pipelineIn(dir, { batchSize: 10, lingerMs: 1, bufferMax: 25 });
    const ids = Array.from({ length: 40 }, () => click().clickId);
    await pipeline.stop(200);
    // A request that outlived the shutdown grace period still records its click.
    ids.push(click().clickId);
    // Timers still run: nothing spins on microtasks after stop.
    await new Promise((r) => setTimeout(r, 20));

    const spooled = spooledIds(dir);
    expect(new Set(spooled)).toEqual(new Set(ids));
    expect(spooled).toHaveLength(ids.length);
    // The recent-click records do not depend on Kafka.
    expect(await redis.exists(`click:${ids[0]}`)).toBe(1);
  });

  it('once Kafka fails, writes new clicks to the spool every linger window, long before the memory bound (what a kill -9 can lose)', async () => {
    const dir = tempDir('no-kafka-linger');
    const { pipeline, click } = pipelineIn(dir, { batchSize: 1_000, lingerMs: 20, bufferMax: 10_000 });
    const first = Array.from({ length: 40 }, () => click().clickId);
    await eventually(() => spooledIds(dir).length === first.length, 20_000, 20);
    const next = Array.from({ length: 30 }, () => click().clickId);
    // Still running (no stop): only the linger timer can have put these on disk.
    await eventually(() => spooledIds(dir).length === first.length + next.length, 5_000, 10);
    expect(new Set(spooledIds(dir))).toEqual(new Set([...first, ...next]));
    expect(pipeline.backlog().memory).toBe(0);
    await pipeline.stop(200);
    expect(spooledIds(dir)).toHaveLength(first.length + next.length);
  });
});
