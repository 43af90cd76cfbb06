import fs from 'node:fs';
import type Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { PrivateKafka, TestInfra, eventually } from '@hop/testing';
import { clickIdOf, hammer, newRoute, putRoute, startRedirector, tempDir, type Redirector, type Reply } from './helpers';

/**
 * Nothing lost while Kafka is away. The redirector publishes to a broker of this file's own, which
 * is stopped and restarted (the shared broker serves every other test).
 */
describe('redirector: clicks survive a Kafka outage', () => {
  const infra = new TestInfra();
  const broker = new PrivateKafka();
  const kafka = new Kafka({ clientId: 'outage-test', brokers: broker.brokers, logLevel: logLevel.NOTHING });
  let redis: Redis;
  const started: Redirector[] = [];

  const launch = async (spoolDir: string) => {
    const redirector = await startRedirector(infra, {
      KAFKA_BROKERS: broker.brokers.join(','),
      CLICK_SPOOL_DIR: spoolDir,
      // Small memory buffer: the outage below must spill to the spool file.
      CLICK_BUFFER_MAX: '300',
      CLICK_BATCH_SIZE: '200',
    });
    started.push(redirector);
    return redirector;
  };

  /** Every click event on the private broker: count of messages (high watermarks) and distinct click ids. */
  async function clicksInKafka(): Promise<{ messages: number; clickIds: Set<string> }> {
    const topic = `${infra.topicPrefix}clicks.v1`;
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const messages = offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
    const clickIds = new Set<string>();
    const consumer = kafka.consumer({ groupId: `${infra.id}-count-${Date.now()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen++;
        clickIds.add(JSON.parse(String(message.value)).data.clickId);
      },
    });
    await eventually(() => seen >= messages, 30_000, 50);
    await consumer.disconnect();
    return { messages, clickIds };
  }

  const clickIds = (replies: Reply[]) => {
    expect(replies.filter((r) => r.status !== 302)).toEqual([]);
    return replies.map(clickIdOf) as string[];
  };

  beforeAll(async () => {
    redis = infra.redis();
    await broker.start();
  }, 150_000);
  afterAll(async () => {
    for (const r of started) await r.close().catch(() => undefined);
    redis?.disconnect();
    await broker.destroy();
    await infra.cleanup();
  }, 90_000);

  it('Kafka stopped during 5,000 redirects and restarted: exactly 5,000 click events reach Kafka; a process shut down meanwhile spools its clicks for the next one', async () => {
    const spoolDir = tempDir('outage-spool');
    const redirector = await launch(spoolDir);
    const route = await putRoute(redis, infra.redisKeyPrefix, newRoute());
    const path = `/${route.shortId}`;
    // A second instance that gets shut down (what SIGTERM runs) during the outage.
    const leavingSpool = tempDir('leaving-spool');
    const leaving = await launch(leavingSpool);
    const otherRoute = await putRoute(redis, infra.redisKeyPrefix, newRoute());

    const before = clickIds(await hammer(redirector.url, path, 1_500));
    await redirector.clicks.flush();

    await broker.stop();
    // Kafka is down: visitors are still redirected; clicks wait in memory, then in the spool file.
    const during = clickIds(await hammer(redirector.url, path, 2_000));
    await eventually(() => redirector.clicks.backlog().spoolBytes > 0, 10_000);
    expect(fs.readdirSync(spoolDir).some((f) => f.endsWith('.spool'))).toBe(true);
    const metrics = () => fetch(`${redirector.url}/metrics`).then((r) => r.text());
    expect(await metrics()).toMatch(/hop_redirector_click_spool_bytes [1-9]/);
    // A send that gets no acknowledgement for 5 s counts as a publish error.
    await eventually(async () => /hop_redirector_click_publish_errors_total [1-9]/.test(await metrics()), 15_000);

    const leftBehind = clickIds(await hammer(leaving.url, `/${otherRoute.shortId}`, 1_000));
    await leaving.close();
    expect(fs.readdirSync(leavingSpool).filter((f) => f.endsWith('.spool')).length).toBeGreaterThan(0);

    await broker.start();
    // Load goes on while the spool is replayed; the next process on the other spool adopts and replays it.
    const after = clickIds(await hammer(redirector.url, path, 1_500));
    const successor = await launch(leavingSpool);
    await redirector.clicks.flush();
    await successor.clicks.flush();

    const all = new Set([...before, ...during, ...after]);
    expect(all.size).toBe(5_000);
    const inKafka = await clicksInKafka();
    expect(inKafka.messages).toBe(5_000 + 1_000);
    expect(inKafka.clickIds).toEqual(new Set([...all, ...leftBehind]));
    // Replayed and removed.
    expect(redirector.clicks.backlog()).toEqual({ memory: 0, spoolBytes: 0, spooling: false });
    expect(successor.clicks.backlog()).toEqual({ memory: 0, spoolBytes: 0, spooling: false });
    for (const dir of [spoolDir, leavingSpool]) expect(fs.readdirSync(dir).filter((f) => f.endsWith('.spool'))).toEqual([]);
  }, 180_000);
});
