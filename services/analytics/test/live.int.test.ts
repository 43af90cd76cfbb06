import { randomUUID } from 'node:crypto';
import { assertDocumented, contractFetch, eventually } from '@hop/testing';
import { createUser } from '../../gateway/src/app/create-user';
import { start as startGateway } from '../../gateway/src/main';
import { loadGatewayConfig } from '../../gateway/src/config';
import { PgAccessStore } from '../../gateway/src/infra/access-store';
import { PgWorkspaceStore } from '../../gateway/src/infra/workspace-store';
import { AnalyticsHarness, GOOGLEBOT, clickEvent, linkUpserted, type Analytics } from './helpers';

const ADMIN_TOKEN = 'live-clicks-admin-token-0123456789';
const h = new AnalyticsHarness();
let analytics: Analytics[];
let gateways: { url: string; close(): Promise<void> }[];
/** The session of the workspace's owner, as a browser sends it. */
let session: Record<string, string>;
let workspaceId: string;

/** An open server-sent event stream, read as it arrives. */
class Stream {
  text = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly done: Promise<void>;

  constructor(readonly response: Response, readonly url: string, readonly requestHeaders: Record<string, string>) {
    this.reader = response.body!.getReader();
    const decoder = new TextDecoder();
    this.done = (async () => {
      for (;;) {
        const chunk = await this.reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (chunk.done) return;
        this.text += decoder.decode(chunk.value, { stream: true });
      }
    })();
  }

  /** The `click` events received so far, parsed. */
  clicks(): { id: string; data: Record<string, unknown> }[] {
    return this.text
      .split('\n\n')
      .filter((block) => block.startsWith('event: click\n'))
      .map((block) => {
        const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}: `))!.slice(name.length + 2);
        return { id: field('id'), data: JSON.parse(field('data')) as Record<string, unknown> };
      });
  }

  async close(): Promise<void> {
    await this.reader.cancel();
    await this.done;
    // the stream never ends, so the contract is checked on what arrived until now
    assertDocumented({
      method: 'GET',
      url: this.url,
      requestHeaders: this.requestHeaders,
      status: this.response.status,
      headers: this.response.headers,
      body: this.text,
      via: 'gateway',
    });
  }
}

async function openStream(gatewayUrl: string, query = '', headers = session): Promise<Stream> {
  const path = `/api/analytics/live${query}`;
  const response = await fetch(`${gatewayUrl}${path}`, { headers });
  expect(response.status).toBe(200);
  const stream = new Stream(response, path, headers);
  // the first line is written once the subscription is in place
  await eventually(() => stream.text.includes('retry: 2000'), 10_000);
  return stream;
}

beforeAll(async () => {
  // two analytics instances in one consumer group: each ingests some partitions of clicks.v1, and
  // each one's streams still see every click (Redis pub/sub between them)
  analytics = [await h.start(), await h.start()];
  gateways = await Promise.all(
    analytics.map((a) => startGateway(loadGatewayConfig(h.infra.serviceEnv('gateway', { ADMIN_TOKEN, AUDIT_EVENTS_CONSUMER: 'false', ANALYTICS_URL: a.url })))),
  );
  const gateway = gateways[0] as Awaited<ReturnType<typeof startGateway>>;
  const created = await fetch(`${gateway.url}/admin/workspaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Live clicks' }),
  });
  workspaceId = ((await created.json()) as { id: string }).id;
  const email = `live.${process.pid}@example.com`;
  const password = 'violet-tractor-sings-7';
  await createUser({ access: new PgAccessStore(gateway.db), workspaces: new PgWorkspaceStore(gateway.db) }, { email, password, workspaceId, role: 'viewer' });
  const login = await fetch(`${gateway.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  session = { cookie, 'x-hop-workspace': workspaceId };
}, 120_000);

afterAll(async () => {
  for (const g of gateways ?? []) await g.close();
  await h.cleanup();
});

describe('GET /api/analytics/live through the gateway', () => {
  it("streams the workspace's clicks as they are stored, from every partition, bots left out", async () => {
    const streams = await Promise.all(gateways.map((g) => openStream(g.url)));
    const bot = clickEvent(workspaceId, { userAgent: GOOGLEBOT, bot: true });
    const other = clickEvent(randomUUID());
    // distinct link ids spread the clicks over the topic's partitions, so both instances ingest some
    const humans = Array.from({ length: 6 }, (_, i) => clickEvent(workspaceId, { country: 'fr', shortId: `live${i}` }));
    await h.publishClicks([bot, other, ...humans]);

    const expected = humans.map((e) => (e.data as { clickId: string }).clickId).sort();
    for (const stream of streams) {
      await eventually(() => stream.clicks().length >= humans.length, 15_000);
      expect(stream.clicks().map((c) => c.id).sort()).toEqual(expected);
      expect(stream.clicks()[0].data).toMatchObject({ country: 'France', countryCode: 'FR', bot: false, deviceType: 'desktop' });
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.response.headers.get('x-ratelimit-limit')).not.toBeNull();
    }
    await Promise.all(streams.map((s) => s.close()));
  }, 60_000);

  it('includes bots and narrows to one link when asked', async () => {
    const linkId = randomUUID();
    const stream = await openStream(gateways[0].url, `?includeBots=true&linkId=${linkId}`);
    const bot = clickEvent(workspaceId, { linkId, userAgent: GOOGLEBOT, bot: true });
    const elsewhere = clickEvent(workspaceId);
    const human = clickEvent(workspaceId, { linkId });
    await h.publishClicks([elsewhere, bot, human]);
    await eventually(() => stream.clicks().length >= 2, 15_000);
    expect(stream.clicks().map((c) => c.id)).toEqual([bot, human].map((e) => (e.data as { clickId: string }).clickId));
    await stream.close();
  }, 30_000);

  it("narrows to one collection's links, as links.v1 last placed them", async () => {
    const spring = randomUUID();
    const [inSpring, movedOut, elsewhere] = [randomUUID(), randomUUID(), randomUUID()];
    await h.publishLinks([
      linkUpserted(workspaceId, inSpring, spring, 1),
      linkUpserted(workspaceId, movedOut, spring, 1),
      linkUpserted(workspaceId, movedOut, randomUUID(), 2),
      linkUpserted(workspaceId, elsewhere, null, 1),
    ]);
    await h.caughtUp(`${h.infra.topicPrefix}analytics-links`, 'links');
    const narrowed = await openStream(gateways[1].url, `?collectionId=${spring}`);
    const everything = await openStream(gateways[0].url);
    const clicks = [clickEvent(workspaceId, { linkId: movedOut }), clickEvent(workspaceId, { linkId: inSpring }), clickEvent(workspaceId, { linkId: elsewhere })];
    await h.publishClicks(clicks);
    await eventually(() => everything.clicks().length >= clicks.length, 15_000);
    // a last click in the collection, sent once the others were stored: each stream handles its
    // batches in order, so when this one arrives the others have been looked at
    const last = clickEvent(workspaceId, { linkId: inSpring });
    await h.publishClicks([last]);
    await eventually(() => narrowed.clicks().some((c) => c.id === (last.data as { clickId: string }).clickId), 15_000);
    expect(narrowed.clicks().map((c) => c.id)).toEqual([clicks[1], last].map((e) => (e.data as { clickId: string }).clickId));
    expect(narrowed.clicks().map((c) => c.data.linkId)).toEqual([inSpring, inSpring]);
    await Promise.all([narrowed.close(), everything.close()]);
  }, 60_000);

  it('keeps the stream open past the upstream timeout', async () => {
    const gateway = await startGateway(
      loadGatewayConfig(h.infra.serviceEnv('gateway', { ADMIN_TOKEN, AUDIT_EVENTS_CONSUMER: 'false', ANALYTICS_URL: analytics[0].url, UPSTREAM_TIMEOUT_MS: '300' })),
    );
    try {
      const stream = await openStream(gateway.url);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const click = clickEvent(workspaceId);
      await h.publishClicks([click]);
      await eventually(() => stream.clicks().length === 1, 15_000);
      expect(stream.clicks()[0].id).toBe((click.data as { clickId: string }).clickId);
      await stream.close();
    } finally {
      await gateway.close();
    }
  }, 30_000);

  it('answers bad filters, a missing session and another workspace with the documented errors', async () => {
    const call = contractFetch('gateway');
    const url = `${gateways[0].url}/api/analytics/live`;
    expect((await call(`${url}?linkId=nope`, { headers: session })).status).toBe(400);
    expect((await call(`${url}?collectionId=spring`, { headers: session })).status).toBe(400);
    expect((await call(url)).status).toBe(401);
    expect((await call(url, { headers: { ...session, 'x-hop-workspace': randomUUID() } })).status).toBe(403);
  });
});
