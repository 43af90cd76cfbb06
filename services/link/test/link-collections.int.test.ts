import { TestInfra, eventually, gatewayClient, type GatewayReply } from '@hop/testing';
import { collectEvents, expectBadRequest, newWorkspace, startStack, type Stack } from './stack';

const infra = new TestInfra();
let stack: Stack;
let probe: Awaited<ReturnType<typeof collectEvents>>;

beforeAll(async () => {
  stack = await startStack(infra);
  probe = await collectEvents(infra, `${infra.topicPrefix}links.v1`);
});

afterAll(async () => {
  await probe?.stop();
  await stack?.close();
  await infra.cleanup();
});

interface Entry {
  workspaceId: string;
  linkId: string;
  collectionId: string | null;
  version: number;
}

interface Page {
  links: Entry[];
  next: string | null;
}

describe('GET /internal/link-collections', () => {
  it('pages through every workspace\'s links, deleted ones too, by link id, with the version of their last links.v1 event', async () => {
    const internal = gatewayClient(stack.link.url);
    const a = await newWorkspace(stack);
    const b = await newWorkspace(stack);
    const [other] = await a.newCollections();
    const aLinks = await a.createLinks([{ url: 'https://example.com/1' }, { url: 'https://example.com/2', collectionId: other }, { url: 'https://example.com/3' }]);
    const bLinks = await b.createLinks([{ url: 'https://example.com/4' }, { url: 'https://example.com/5' }]);
    expect((await a.call('PUT', '/api/links', [{ id: aLinks[0].id, collectionId: other }])).status).toBe(200);
    expect((await b.call('DELETE', '/api/links', [bLinks[0].id])).status).toBe(200);

    const pages: Page[] = [];
    for (let after: string | null = null; pages.length === 0 || after !== null; ) {
      const reply: GatewayReply<Page> = await internal<Page>('GET', `/internal/link-collections?limit=2${after ? `&after=${after}` : ''}`);
      expect(reply.status).toBe(200);
      pages.push(reply.body);
      after = reply.body.next;
    }
    const entries = pages.flatMap((p) => p.links);
    expect(pages.map((p) => p.links.length)).toEqual([2, 2, 1]);
    expect(pages.slice(0, -1).map((p) => p.next)).toEqual(pages.slice(0, -1).map((p) => p.links[1].linkId));
    expect(entries.map((e) => e.linkId)).toEqual([...aLinks, ...bLinks].map((l) => l.id).sort());

    // each link's version is the one its newest links.v1 event carries (the delete's for the deleted link)
    const newestVersion = (linkId: string) =>
      Math.max(
        ...probe.events.map((e) => (e.data as { route?: { linkId: string; version: number }; linkId?: string; version?: number }))
          .map((d) => (d.route ?? d))
          .filter((d) => d.linkId === linkId)
          .map((d) => d.version as number),
      );
    await eventually(async () => entries.every((e) => newestVersion(e.linkId) === e.version), 15_000, 100);
    const byId = new Map(entries.map((e) => [e.linkId, e]));
    expect(byId.get(aLinks[0].id)).toEqual({ workspaceId: a.workspaceId, linkId: aLinks[0].id, collectionId: other, version: newestVersion(aLinks[0].id) });
    expect(byId.get(aLinks[2].id)).toMatchObject({ workspaceId: a.workspaceId, collectionId: a.collectionId });
    expect(byId.get(bLinks[0].id)).toMatchObject({ workspaceId: b.workspaceId, collectionId: b.collectionId });
  });

  it('answers 400 in the error shape on a bad cursor or limit, 401 unsigned', async () => {
    const internal = gatewayClient(stack.link.url);
    expectBadRequest(await internal('GET', '/internal/link-collections?after=not-a-uuid'), 'after');
    expectBadRequest(await internal('GET', '/internal/link-collections?limit=0'), 'limit');
    expectBadRequest(await internal('GET', '/internal/link-collections?limit=5001'), 'limit');
    expectBadRequest(await internal('GET', '/internal/link-collections?limit=ten'), 'limit');
    expect((await internal('GET', '/internal/link-collections', undefined, { unsigned: true })).status).toBe(401);
  });
});
