import { EventProducer, newEvent, type EventEnvelope } from '@hop/events';
import { TestInfra, eventually } from '@hop/testing';
import { cliCreateUser, freshEmail, PASSWORD, signIn, type SignedInClient } from './access-harness';
import { startGateway, type GatewayHarness } from './harness';

const infra = new TestInfra();
let gw: GatewayHarness;
let producer: EventProducer;
let workspaceId: string;
let owner: SignedInClient;

beforeAll(async () => {
  gw = await startGateway(infra, { AUDIT_EVENTS_CONSUMER: 'true' });
  producer = new EventProducer(infra.kafka(), infra.topicPrefix);
  workspaceId = await gw.createWorkspace();
  const email = freshEmail('owner');
  await cliCreateUser(gw, email, workspaceId, 'owner');
  owner = await signIn(gw, email, PASSWORD, { workspace: workspaceId });
});

afterAll(async () => {
  await producer?.disconnect();
  await gw?.close();
  await infra.cleanup();
});

const domainDeleted = (ws: string, host: string) =>
  newEvent('audit.recorded', ws, {
    actor: { type: 'key', id: '6f1c1c3e-4f7b-4a51-9d2a-3b8b0f3c0a05', label: null },
    action: 'domain.deleted',
    target: { type: 'domain', id: host },
    details: { host },
    ip: '203.0.113.5',
  });

it('other services’ audit.v1 events join the workspace’s log once, however often they are delivered', async () => {
  const event = domainDeleted(workspaceId, 'go.example.com');
  const otherWorkspace = await gw.createWorkspace();
  const elsewhere = domainDeleted(otherWorkspace, 'other.example.com');
  // a producer bug must not block the partition: an event naming no workspace id is skipped
  const bad: EventEnvelope = { ...domainDeleted(workspaceId, 'bad.example.com'), workspaceId: 'not-a-uuid' };
  await producer.publish('audit', [bad, event, event, elsewhere], (e) => e.workspaceId);

  const entries = await eventually(async () => {
    const log = (await owner.call('GET', '/api/audit-log')).body as { id: string; action: string }[];
    return log.some((e) => e.action === 'domain.deleted') ? log : null;
  });
  // a replay later (redelivery) adds nothing either
  await producer.publish('audit', [event], (e) => e.workspaceId);
  const marker = domainDeleted(workspaceId, 'marker.example.com');
  await producer.publish('audit', [marker], (e) => e.workspaceId);
  const after = await eventually(async () => {
    const log = (await owner.call('GET', '/api/audit-log')).body as { id: string; target: { id: string } }[];
    return log.some((e) => e.id === marker.id) ? log : null;
  });

  const fromEvents = after.filter((e) => e.id === event.id);
  expect(fromEvents).toHaveLength(1);
  expect(fromEvents[0]).toMatchObject({
    id: event.id,
    occurredAt: event.occurredAt,
    action: 'domain.deleted',
    actor: { type: 'key', id: '6f1c1c3e-4f7b-4a51-9d2a-3b8b0f3c0a05', label: null },
    target: { type: 'domain', id: 'go.example.com' },
    ip: '203.0.113.5',
  });
  expect(entries.map((e) => e.id)).not.toContain(elsewhere.id);
  expect(after.map((e) => e.target?.id)).not.toContain('bad.example.com');
});
