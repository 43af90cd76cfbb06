import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase } from '@hop/db';
import { TestInfra, eventually } from '@hop/testing';
import { CreateWebhooks1700000000600, DeliveryAttempts1700000000601 } from '../src/infra/migrations';
import { Receiver, call, devWebhookEnv, startWebhook, type Json } from './support';

/**
 * A database written by the version before migration 602 (every attempt in delivery_attempts,
 * outcomes on the row as well): the service upgrades it, delivers what was pending, and its log
 * shows each attempt once, old and new.
 */
const infra = new TestInfra();
const receiver = new Receiver();
const WS = randomUUID();
let webhook: Awaited<ReturnType<typeof startWebhook>> | undefined;

afterAll(async () => {
  await webhook?.close();
  await receiver.down();
  await infra.cleanup();
});

it('upgrades a database with pending and delivered deliveries: nothing lost, every attempt listed once', async () => {
  await receiver.up();
  const url = infra.databaseUrl('webhook');
  const before = await openDatabase({ url, entities: [], migrations: [CreateWebhooks1700000000600, DeliveryAttempts1700000000601] });
  await before.destroy();

  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  receiver.secrets.add(secret);
  const subscriptionId = randomUUID();
  const [delivered, pending] = [randomUUID(), randomUUID()];
  const timestamp = new Date().toISOString();
  const body = (id: string) => JSON.stringify({ type: 'lead.created', timestamp, data: { id } });
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // a secret stored in clear, as before encryption (resealed at start-up)
    await client.query(
      `INSERT INTO subscriptions (id, workspace_id, name, url, events, active, secret) VALUES ($1, $2, 'old', $3, '{lead.created}', true, $4)`,
      [subscriptionId, WS, receiver.url, secret],
    );
    await client.query(
      `INSERT INTO deliveries (id, subscription_id, workspace_id, event_id, event_type, occurred_at, body, state, attempts, next_attempt_at,
         last_attempt_at, duration_ms, response_status, response_body, created_at)
       VALUES ($1, $3, $4, 'e1', 'lead.created', now(), $5, 'delivered', 2, NULL, now() - interval '1 minute', 7, 200, 'ok', now() - interval '2 minutes'),
              ($2, $3, $4, 'e2', 'lead.created', now(), $6, 'pending', 0, now(), NULL, NULL, NULL, NULL, now() - interval '1 minute')`,
      [delivered, pending, subscriptionId, WS, body('e1'), body('e2')],
    );
    await client.query(
      `INSERT INTO delivery_attempts (delivery_id, attempt, workspace_id, started_at, duration_ms, response_status, response_body, error)
       VALUES ($1, 1, $2, now() - interval '90 seconds', 10000, NULL, NULL, 'The receiver did not answer in time'),
              ($1, 2, $2, now() - interval '1 minute', 7, 200, 'ok', NULL)`,
      [delivered, WS],
    );
  } finally {
    await client.end();
  }

  webhook = await startWebhook(infra, devWebhookEnv({ LINK_URL: 'http://127.0.0.1:9' }));
  const got = await eventually(() => receiver.received.find((r) => r.id === pending));
  expect(got.verifiedWith).toEqual([secret]);
  expect(got.rawBody).toBe(body('e2'));

  const list = async (): Promise<Json[]> => (await call(webhook!.url, 'GET', `/api/webhooks/${subscriptionId}/deliveries`, { workspaceId: WS })).body;
  await eventually(async () => (await list()).find((d) => d.id === pending)?.state === 'delivered');
  const byId = new Map((await list()).map((d) => [d.id, d]));
  expect(byId.get(delivered).attempts.map((a: Json) => [a.attempt, a.responseStatus, a.error])).toEqual([
    [1, null, 'The receiver did not answer in time'],
    [2, 200, null],
  ]);
  expect(byId.get(pending)).toMatchObject({ attempt: 1, responseStatus: 200, responseBody: `got ${pending}` });
  expect(byId.get(pending).attempts).toEqual([
    { attempt: 1, requestedAt: byId.get(pending).requestedAt, durationMs: byId.get(pending).durationMs, responseStatus: 200, responseBody: `got ${pending}`, error: null },
  ]);
}, 60_000);
