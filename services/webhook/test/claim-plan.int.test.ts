import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TestInfra } from '@hop/testing';
import { CLAIM_DUE } from '../src/infra/dispatcher';
import { Receiver, call, devWebhookEnv, startWebhook, type Json } from './support';

/**
 * The claim's plan whatever the statistics say. A claim picks a few hundred due deliveries, then
 * locks them. Planned on statistics taken while nothing was due (an analysis early in a burst), a
 * lock step that could start from the subscription's due rows read all of them to find the picked
 * ones: in bench/webhooks.js, ~90 instead of ~60 µs of PostgreSQL per delivery in 3 runs of 10.
 */
const infra = new TestInfra();
const WS = randomUUID();

afterAll(() => infra.cleanup());

type PlanNode = Json;

/** The nodes of a plan's subtree, without the sub-plans it runs (a CTE's own InitPlans are other steps). */
function ownNodes(node: PlanNode): PlanNode[] {
  const children = ((node.Plans ?? []) as PlanNode[]).filter((child) => child['Parent Relationship'] !== 'InitPlan' && child['Parent Relationship'] !== 'SubPlan');
  return [node, ...children.flatMap(ownNodes)];
}

function findStep(node: PlanNode, name: string): PlanNode | undefined {
  if (node['Subplan Name'] === name) return node;
  for (const child of (node.Plans ?? []) as PlanNode[]) {
    const found = findStep(child, name);
    if (found) return found;
  }
  return undefined;
}

test('locks what it picked by primary key, planned on statistics that saw nothing due', async () => {
  const receiver = await new Receiver().up();
  const webhook = await startWebhook(infra, devWebhookEnv({ LINK_URL: 'http://127.0.0.1:9' }));
  let subscriptionId: string;
  try {
    const reply = await call(webhook.url, 'POST', '/api/webhooks', {
      workspaceId: WS,
      body: [{ name: 'plan', url: receiver.url, events: ['link.clicked'] }],
    });
    expect(reply.status).toBe(201);
    subscriptionId = reply.body[0].id;
  } finally {
    // stopped: its dispatcher would claim the backlog below
    await webhook.close();
    await receiver.down();
  }

  const client = new Client({ connectionString: infra.databaseUrl('webhook') });
  await client.connect();
  try {
    const record = (state: string, nextAttemptAt: string, prefix: string) =>
      client.query(
        `INSERT INTO deliveries (id, subscription_id, workspace_id, event_id, event_type, occurred_at, body, state, next_attempt_at)
         SELECT gen_random_uuid(), $1, $2, $3 || n, 'link.clicked', now(), '{}', $4, ${nextAttemptAt}
         FROM generate_series(1, 20000) n`,
        [subscriptionId, WS, prefix, state],
      );
    await record('delivered', 'NULL', 'done-');
    await client.query('ANALYZE deliveries');
    // due from a minute ago on, which the statistics do not know of
    await record('pending', `now() - interval '1 minute' + n * interval '1 ms'`, 'due-');

    const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${CLAIM_DUE}`, [[], [], 256, 1000, 60_000]);
    const locked = findStep(rows[0]['QUERY PLAN'][0].Plan, 'CTE locked');
    expect(locked).toBeDefined();
    const steps = ownNodes(locked);
    // every read of the lock step goes through the primary key (an index scan, or a bitmap of it)
    expect([...new Set(steps.map((node) => node['Index Name']).filter((name) => name !== undefined))]).toEqual(['deliveries_pkey']);
    expect(steps.map((node) => node['Node Type'])).not.toContain('Seq Scan');
  } finally {
    await client.end();
  }
}, 60_000);
