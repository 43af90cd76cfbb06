import fs from 'node:fs';
import path from 'node:path';
import type Redis from 'ioredis';
import { createKafka } from '@hop/events';
import { createLogger } from '@hop/telemetry';
import { TestInfra } from '@hop/testing';
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

  it('spools what it could not send at stop, and clicks recorded after stop, without blocking the event loop', async () => {
    const dir = tempDir('no-kafka-spool');
    const nowhere = { brokers: ['127.0.0.1:1'], clientId: 'nowhere', topicPrefix: infra.topicPrefix };
    const pipeline = new ClickPipeline({
      kafka: createKafka(nowhere, logger),
      sender: new KafkaSender({ ...nowhere, recentClicks: infra.redisConfig(), logger }),
      topicPrefix: infra.topicPrefix,
      spool: new Spool(dir, logger),
      batchSize: 10,
      lingerMs: 1,
      bufferMax: 25,
      logger,
    });
    pipeline.start();
    const recorder = createClickRecorder({ hashIp: ipHasher('pipeline-test-secret'), sink: pipeline });
    const route = newRoute();
    const click = () => recorder.record({ route, destination: route.url, trigger: 'link', qr: false, bot: false, referrer: null, userAgent: 'ua', ip: '198.51.100.1', country: null, city: null, visitorId: null });
    const ids = Array.from({ length: 40 }, () => click().clickId);
    await pipeline.stop(200);
    // A request that outlived the shutdown grace period still records its click.
    ids.push(click().clickId);
    // Timers still run: nothing spins on microtasks after stop.
    await new Promise((r) => setTimeout(r, 20));

    const lines = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.spool'))
      .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean));
    const spooled = lines.map((line) => JSON.parse(line.slice(line.indexOf('\t') + 1)).data.clickId);
    expect(new Set(spooled)).toEqual(new Set(ids));
    expect(spooled).toHaveLength(ids.length);
    // The recent-click records do not depend on Kafka.
    expect(await redis.exists(`click:${ids[0]}`)).toBe(1);
  });
});
