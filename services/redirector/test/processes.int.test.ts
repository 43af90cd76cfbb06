import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type Redis from 'ioredis';
import { EventProducer, ensureTopics, newEvent } from '@hop/events';
import { TestInfra, eventually } from '@hop/testing';
import { clickIdOf, collectClicks, hammer, newRoute, putRoute, request, tempDir } from './helpers';

/** The built entrypoints as the deployment runs them: real processes, real signals. */
const root = path.resolve(__dirname, '../../..');
const dist = path.resolve(__dirname, '../dist');

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

function run(script: string, env: Record<string, string>, args: string[] = []): ChildProcess & { exited: Promise<number | null> } {
  const child = spawn(process.execPath, [path.join(dist, script), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (code) console.error(`${script} exited with ${code}:\n${stderr}`);
      resolve(code);
    }),
  );
  return Object.assign(child, { exited });
}

describe('redirector processes (dist/main.js, dist/projector.js)', () => {
  const infra = new TestInfra();
  let redis: Redis;

  beforeAll(() => {
    // Incremental: near-instant when the CI build already ran.
    const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-b', 'services/redirector'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    redis = infra.redis();
  }, 180_000);
  afterAll(async () => {
    redis?.disconnect();
    await infra.cleanup();
  });

  it('SIGTERM mid-load: every click of every answered redirect reaches Kafka, once', async () => {
    const port = await freePort();
    const child = run('main.js', infra.serviceEnv('redirector', { PORT: String(port), CLICK_SPOOL_DIR: tempDir('sigterm-spool'), LINK_URL: 'http://127.0.0.1:9' }));
    const url = `http://127.0.0.1:${port}`;
    await eventually(() => request(url, '/healthz').then((r) => r.status === 200), 30_000);
    const route = await putRoute(redis, infra.redisKeyPrefix, newRoute());
    const clicks = await collectClicks(infra.kafka(), infra.topicPrefix);
    try {
      let signalled = false;
      const replies = await hammer(url, `/${route.shortId}`, 6_000, 16, (i) => {
        if (i === 2_000 && !signalled) {
          signalled = true;
          child.kill('SIGTERM');
        }
      });
      expect(await child.exited).toBe(0);
      const answered = replies.filter((r) => r.status === 302).map(clickIdOf) as string[];
      expect(answered.length).toBeGreaterThanOrEqual(2_000);
      expect(answered.length).toBeLessThan(6_000); // the server did stop mid-load

      await eventually(() => clicks.events.filter((e) => e.event.data.linkId === route.linkId).length >= answered.length, 30_000);
      const published = clicks.events.filter((e) => e.event.data.linkId === route.linkId).map((e) => e.event.data.clickId as string);
      expect(published.length).toBe(answered.length);
      expect(new Set(published)).toEqual(new Set(answered));
    } finally {
      await clicks.stop();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);

  it('projector.js --rebuild restores the routes from links.v1 and exits', async () => {
    const kafka = infra.kafka();
    await ensureTopics(kafka, infra.topicPrefix, [{ topic: 'links' }]);
    const producer = new EventProducer(kafka, infra.topicPrefix);
    const routes = [newRoute(), newRoute({ url: 'https://two.example/' })];
    await producer.publish('links', routes.map((route) => newEvent('link.upserted', route.workspaceId, { route })), (e) => (e.data as { route: { shortId: string } }).route.shortId);
    await producer.disconnect();

    const child = run('projector.js', infra.serviceEnv('redirector'), ['--rebuild']);
    expect(await child.exited).toBe(0);
    for (const route of routes) expect(JSON.parse((await redis.get(`route:${route.shortId}`))!)).toEqual(route);
  }, 60_000);
});
