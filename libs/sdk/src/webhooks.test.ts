import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DestinationGuard } from '../../../services/webhook/src/infra/destination-guard';
import { DestinationPolicy } from '../../../services/webhook/src/infra/destination-policy';
import { ReceiverClient } from '../../../services/webhook/src/infra/receiver-client';
import { verifyWebhook, WebhookVerificationError } from './webhooks';

const SECRET = `whsec_${Buffer.from('hop-sdk-test-signing-secret-32b!').toString('base64')}`;
const OLD_SECRET = `whsec_${Buffer.from('the-secret-before-the-rotation!!').toString('base64')}`;
const PAYLOAD = JSON.stringify({ type: 'lead.created', timestamp: '2026-05-01T10:00:00.000Z', data: { lead: { eventName: 'Sign up' } } });

/** A receiver on loopback keeping each delivery's headers and raw body. */
async function receiver() {
  const received: { headers: http.IncomingHttpHeaders; body: Buffer }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('verifyWebhook', () => {
  // The webhook service's own client (the one that delivers in production), allowed to reach loopback here.
  const client = new ReceiverClient({
    guard: new DestinationGuard(new DestinationPolicy(['127.0.0.0/8']), true),
    timeoutMs: 5_000,
    maxResponseBytes: 1024,
    connectionsPerOrigin: 1,
  });
  afterAll(() => client.close());

  it("accepts a delivery the webhook service signed, with node's headers and the raw body, and returns the typed event", async () => {
    const target = await receiver();
    try {
      const sent = await client.send({ url: target.url, messageId: `msg_${randomUUID()}`, body: PAYLOAD, secrets: [SECRET] });
      expect(sent.status).toBe(204);
      const [{ headers, body }] = target.received;
      const event = verifyWebhook(SECRET, headers, body);
      expect(event).toEqual(JSON.parse(PAYLOAD));
      // Typed by the document's webhooks: the payload of its `type`.
      expect(event.type === 'lead.created' ? event.data.lead.eventName : null).toBe('Sign up');
      // A web Headers object and the body as text do as well.
      expect(verifyWebhook(SECRET, new Headers(headers as Record<string, string>), body.toString('utf8'))).toEqual(event);

      const tampered = Buffer.from(body.toString('utf8').replace('Sign up', 'Purchase'));
      expect(() => verifyWebhook(SECRET, headers, tampered)).toThrow(WebhookVerificationError);
      expect(() => verifyWebhook(OLD_SECRET, headers, body)).toThrow(WebhookVerificationError);
      expect(() => verifyWebhook(SECRET, { ...headers, 'webhook-id': 'msg_other' }, body)).toThrow(WebhookVerificationError);
      const { 'webhook-signature': _dropped, ...unsigned } = headers;
      expect(() => verifyWebhook(SECRET, unsigned, body)).toThrow(WebhookVerificationError);
    } finally {
      await target.close();
    }
  });

  it('accepts either secret during a rotation, and refuses a replay of an old delivery', () => {
    const id = 'msg_rotation';
    const now = new Date();
    const headers = { 'Webhook-Id': id, 'Webhook-Timestamp': String(Math.floor(now.getTime() / 1000)), 'Webhook-Signature': client.sign(id, Math.floor(now.getTime() / 1000), PAYLOAD, [SECRET, OLD_SECRET]) };
    expect(verifyWebhook(OLD_SECRET, headers, PAYLOAD)).toEqual(JSON.parse(PAYLOAD));
    expect(verifyWebhook(SECRET, headers, PAYLOAD)).toEqual(JSON.parse(PAYLOAD));

    const then = new Date(now.getTime() - 10 * 60_000);
    const stale = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(then.getTime() / 1000)), 'webhook-signature': client.sign(id, Math.floor(then.getTime() / 1000), PAYLOAD, [SECRET]) };
    expect(() => verifyWebhook(SECRET, stale, PAYLOAD)).toThrow(/too old/i);
  });
});
