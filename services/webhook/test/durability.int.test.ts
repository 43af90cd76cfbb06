import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { TestInfra, eventually } from '@hop/testing';
import { start as startCatalog } from '../../catalog/src/main';
import { loadCatalogConfig } from '../../catalog/src/config';
import { start as startLink } from '../../link/src/main';
import { loadLinkConfig } from '../../link/src/config';
import { Receiver, call, devWebhookEnv, publishClicks, startWebhook, webhookIdsByClick, type Json } from './support';

/**
 * Nothing lost: a receiver down for a minute gets every event once it is back, and a webhook
 * process killed with SIGKILL mid-delivery and started again delivers everything it had
 * claimed. Duplicates may happen (at least once) but always carry the same webhook-id.
 */
const root = path.resolve(__dirname, '../../..');
const infra = new TestInfra();
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let linkService: Awaited<ReturnType<typeof startLink>>;
const WS = randomUUID();
let link: Json;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  // The killed service runs as the deployment runs it (dist/main.js); incremental when CI built already.
  const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-b', 'services/webhook'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  catalog = await startCatalog(loadCatalogConfig(infra.serviceEnv('catalog')));
  linkService = await startLink(loadLinkConfig(infra.serviceEnv('link', { CATALOG_URL: catalog.url, PARTNER_URL: 'http://127.0.0.1:9' })));
  const [collection] = (await call(catalog.url, 'POST', '/api/collections', { workspaceId: WS, body: [{ name: 'C' }] })).body;
  [link] = (await call(linkService.url, 'POST', '/api/links', { workspaceId: WS, body: [{ url: 'https://shop.example/', collectionId: collection.id }] })).body;
}, 180_000);

afterAll(async () => {
  for (const service of [linkService, catalog]) await service?.close();
  await infra.cleanup();
});

async function subscribe(webhookUrl: string, receiver: Receiver): Promise<Json> {
  const reply = await call(webhookUrl, 'POST', '/api/webhooks', { workspaceId: WS, body: [{ name: 'clicks', url: receiver.url, events: ['link.clicked'] }] });
  expect(reply.status).toBe(201);
  receiver.secrets.add(reply.body[0].secret);
  return reply.body[0];
}

function expectEveryClickOnce(receiver: Receiver, clickIds: string[]) {
  const byClick = webhookIdsByClick(receiver.received);
  expect(new Set(byClick.keys())).toEqual(new Set(clickIds));
  expect([...byClick.values()].every((ids) => ids.size === 1)).toBe(true);
  expect(receiver.received.every((r) => r.verifiedWith.length === 1)).toBe(true);
}

test('a receiver down for 60 s gets every event when it is back', async () => {
  // Retries at about 2 s, 6 s, 18 s, 54 s (the default schedule starts at 5 s): the 4th comes after the minute.
  const webhook = await startWebhook(infra, devWebhookEnv({ LINK_URL: linkService.url, WEBHOOK_RETRY_BASE_MS: '2000', WEBHOOK_CONSUMER_GROUP: 'webhook-down' }));
  const receiver = await new Receiver().up();
  try {
    await subscribe(webhook.url, receiver);
    await receiver.down();
    const downAt = Date.now();
    const clickIds = await publishClicks(infra, WS, link, 300);
    await new Promise((r) => setTimeout(r, 60_000 - (Date.now() - downAt)));
    expect(receiver.received).toHaveLength(0);
    await receiver.up();
    await eventually(() => webhookIdsByClick(receiver.received).size === clickIds.length, 120_000, 500);
    expectEveryClickOnce(receiver, clickIds);
  } finally {
    await webhook.close();
    await receiver.down();
  }
}, 240_000);

test('SIGKILL mid-delivery, then a restart: nothing lost', async () => {
  const port = await freePort();
  const env = {
    ...process.env,
    ...infra.serviceEnv('webhook', devWebhookEnv({ LINK_URL: linkService.url, PORT: String(port), WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_CONSUMER_GROUP: 'webhook-kill' })),
  };
  const run = (): ChildProcess => spawn(process.execPath, [path.join(root, 'services/webhook/dist/main.js')], { env, stdio: 'ignore' });
  const ready = () => eventually(() => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false), 60_000);
  const receiver = await new Receiver().up();
  // a slow receiver keeps many attempts in flight when the process dies
  receiver.answer = () => 200;
  let child = run();
  try {
    await ready();
    await subscribe(`http://127.0.0.1:${port}`, receiver);
    const clickIds = await publishClicks(infra, WS, link, 3_000);
    await eventually(() => receiver.received.length >= 500, 60_000, 20);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const atKill = webhookIdsByClick(receiver.received).size;
    expect(atKill).toBeLessThan(clickIds.length);

    child = run();
    await ready();
    await eventually(() => webhookIdsByClick(receiver.received).size === clickIds.length, 90_000, 500);
    expectEveryClickOnce(receiver, clickIds);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await receiver.down();
  }
}, 240_000);
