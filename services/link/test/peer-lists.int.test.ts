import { TestInfra, gatewayClient } from '@hop/testing';
import { SHORT_BASE_URL, many, newWorkspace, shortIdOf, startStack, type ApiLink, type Stack, type Workspace } from './stack';

const infra = new TestInfra();
let stack: Stack;
/** A workspace with 130 links created in three requests (so createdAt differs between them). */
let ws: Workspace;
let newestFirst: ApiLink[];

beforeAll(async () => {
  stack = await startStack(infra);
  ws = await newWorkspace(stack);
  const batches = [];
  for (const [from, n] of [[0, 60], [60, 40], [100, 30]]) batches.push(await ws.createLinks(many(n, (i) => ({ url: `https://example.com/p/${from + i}` }))));
  newestFirst = batches.flat().reverse();
});

afterAll(async () => {
  await stack?.close();
  await infra.cleanup();
});

describe('Shortpen: GET /v1/links', () => {
  const list = (query = '', workspace = ws) => workspace.call('GET', `/v1/links${query}`);

  it('defaults to page 1 of 100, newest first, in the documented envelope', async () => {
    const reply = await list();
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body)).toEqual(['success', 'status_code', 'data', 'count', 'total', 'page', 'message']);
    expect(reply.body).toMatchObject({ success: true, status_code: 200, count: 100, total: 130, page: 1, message: '' });
    expect(reply.body.data.map((l: { id: string }) => l.id)).toEqual(newestFirst.slice(0, 100).map((l) => l.id));
  });

  it('pages with page and limit; past the end is an empty page', async () => {
    const second = (await list('?page=2')).body;
    expect(second).toMatchObject({ count: 30, total: 130, page: 2 });
    expect(second.data.map((l: { id: string }) => l.id)).toEqual(newestFirst.slice(100).map((l) => l.id));
    const small = (await list('?page=3&limit=7')).body;
    expect(small).toMatchObject({ count: 7, total: 130, page: 3 });
    expect(small.data.map((l: { id: string }) => l.id)).toEqual(newestFirst.slice(14, 21).map((l) => l.id));
    expect((await list('?limit=1')).body.count).toBe(1);
    expect((await list('?limit=100')).body.count).toBe(100);
    expect((await list('?page=99')).body).toMatchObject({ success: true, data: [], count: 0, total: 130, page: 99 });
  });

  it('ignores workspace_id: the API key decides the workspace', async () => {
    expect((await list('?workspace_id=24')).body).toEqual((await list()).body);
  });

  it.each([['page=0'], ['page=-1'], ['page=abc'], ['limit=0'], ['limit=101'], ['limit=x']])(
    'rejects %s with 400 in the Shortpen error envelope',
    async (query) => {
      const reply = await list(`?${query}`);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ success: false, status_code: 400, message: expect.stringContaining(query.split('=')[0]) });
    },
  );

  it('maps every documented field from the Hop link', async () => {
    const own = await newWorkspace(stack);
    const [link] = await own.createLinks([
      {
        url: 'https://example.com/launch',
        title: 'Launch landing page',
        redirectType: 301,
        cloaked: true,
        hideReferrer: true,
        password: 'pw',
        params: { ref: 'sp' },
        socialTitle: 'OG title',
        socialDescription: 'OG description',
        socialImage: 'https://example.com/og.png',
      },
    ]);
    const [item] = (await list('', own)).body.data;
    expect(item).toEqual({
      id: link.id,
      url: 'https://example.com/launch',
      link: link.shortUrl,
      short_url: link.shortUrl,
      starred: false,
      redirect_type: 301,
      domain_id: null,
      workspace_id: own.workspaceId,
      organization_id: null,
      link_cloak: true,
      hide_referer: true,
      with_password: true,
      created_at: link.createdAt,
      updated_at: link.updatedAt,
      title: 'Launch landing page',
      qr: null,
      folder_id: own.collectionId,
      pixel_id: null,
      source_id: null,
      params: { ref: 'sp' },
      social_share_title: 'OG title',
      social_share_description: 'OG description',
      social_share_image: 'https://example.com/og.png',
    });
    const [plain] = await own.createLinks([{ url: 'https://example.com/plain' }]);
    const [plainItem] = (await list('', own)).body.data;
    expect(plainItem).toMatchObject({ id: plain.id, redirect_type: 302, link_cloak: false, hide_referer: false, with_password: false, params: null, title: null });
  });

  it('returns a base64 PNG QR code of the short link when asked with include_qr=true', async () => {
    const [item] = (await list('?limit=1&include_qr=true')).body.data;
    expect(item.qr).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(item.qr.split(',')[1], 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('renders a page of QR codes off the request thread: requests that come meanwhile are answered before it', async () => {
    let rendered = false;
    const page = list('?limit=100&include_qr=true').then((reply) => {
      rendered = true;
      return reply;
    });
    // One request after the other while the page renders; on the request thread, rendering held
    // them all until the whole page was done (at most the one answered before it began).
    let answeredMeanwhile = 0;
    while (!rendered) {
      const reply = await list('?limit=1');
      expect(reply.status).toBe(200);
      if (!rendered) answeredMeanwhile++;
    }
    const { body } = await page;
    expect(body.count).toBe(100);
    const codes = body.data.map((item: { qr: string }) => item.qr);
    expect(codes.every((qr: string) => qr.startsWith('data:image/png;base64,'))).toBe(true);
    expect(new Set(codes).size).toBe(100);
    expect(answeredMeanwhile).toBeGreaterThanOrEqual(5);
  });

  it('refuses requests that did not come through the gateway, in the Shortpen envelope', async () => {
    const reply = await gatewayClient(stack.link.url)('GET', '/v1/links', undefined, { unsigned: true });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ success: false, status_code: 401, message: expect.any(String) });
  });

  it("workspace isolation: another workspace lists only its own links", async () => {
    const other = await newWorkspace(stack);
    expect((await list('', other)).body).toMatchObject({ data: [], count: 0, total: 0 });
  });
});

describe('Hozip: GET /api/v1/external/links', () => {
  const list = (query = '', workspace = ws) => workspace.call('GET', `/api/v1/external/links${query}`);

  it('defaults to limit 20, offset 0, newest first, in the documented shape', async () => {
    const reply = await list();
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body)).toEqual(['offset', 'limit', 'total', 'results']);
    expect(reply.body).toMatchObject({ offset: 0, limit: 20, total: 130 });
    expect(reply.body.results.map((l: { id: string }) => l.id)).toEqual(newestFirst.slice(0, 20).map((l) => l.id));
  });

  it('maps each documented field', async () => {
    const own = await newWorkspace(stack);
    const [link] = await own.createLinks([{ url: 'https://example.com/landing', active: false }]);
    const [item] = (await list('', own)).body.results;
    expect(item).toEqual({
      id: link.id,
      short_code: shortIdOf(link),
      long_url: 'https://example.com/landing',
      domain: new URL(SHORT_BASE_URL).host,
      group_id: own.collectionId,
      is_active: false,
      created_at: link.createdAt.replace(/Z$/, '000Z'),
    });
    expect(item.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('the documented "iterate all pages" loop returns every link exactly once', async () => {
    const LIMIT = 100;
    let offset = 0;
    const all: { id: string }[] = [];
    for (;;) {
      const reply = await list(`?limit=${LIMIT}&offset=${offset}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ offset, limit: LIMIT });
      all.push(...reply.body.results);
      if (offset + LIMIT >= reply.body.total) break;
      offset += LIMIT;
    }
    expect(all.map((l) => l.id)).toEqual(newestFirst.map((l) => l.id));
    expect(new Set(all.map((l) => l.id)).size).toBe(130);
  });

  it('pages with small limits too, and an offset past the end gives no results', async () => {
    const page = (await list('?limit=7&offset=14')).body;
    expect(page).toMatchObject({ offset: 14, limit: 7, total: 130 });
    expect(page.results.map((l: { id: string }) => l.id)).toEqual(newestFirst.slice(14, 21).map((l) => l.id));
    expect((await list('?limit=1')).body.results).toHaveLength(1);
    expect((await list('?offset=500')).body).toEqual({ offset: 500, limit: 20, total: 130, results: [] });
  });

  it('filters by long_url: exact by default, or startswith', async () => {
    const own = await newWorkspace(stack);
    const [root, deep, other] = await own.createLinks([
      { url: 'https://example.com/' },
      { url: 'https://example.com/landing?x=1' },
      { url: 'https://other.test/' },
    ]);
    const ids = (reply: { body: { results: { id: string }[] } }) => reply.body.results.map((l) => l.id).sort();
    const q = (value: string, match?: string) => `?long_url=${encodeURIComponent(value)}${match ? `&match=${match}` : ''}`;
    expect(ids(await list(q('https://example.com/'), own))).toEqual([root.id]);
    expect(ids(await list(q('https://example.com/', 'exact'), own))).toEqual([root.id]);
    expect(ids(await list(q('https://example.com/', 'startswith'), own))).toEqual([root.id, deep.id].sort());
    expect(ids(await list(q('https://other', 'startswith'), own))).toEqual([other.id]);
    const filtered = await list(q('https://example.com/landing?x=1'), own);
    expect(filtered.body).toMatchObject({ total: 1 });
  });

  it.each([
    ['limit=0', 'invalid_limit'],
    ['limit=101', 'invalid_limit'],
    ['limit=abc', 'invalid_limit'],
    ['offset=-1', 'invalid_offset'],
    ['match=fuzzy', 'invalid_match'],
    [`long_url=${'a'.repeat(2049)}`, 'invalid_long_url'],
  ])('rejects %s with 400 {"detail","error_code"}', async (query, code) => {
    const reply = await list(`?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ detail: expect.any(String), error_code: code });
  });

  it('accepts a long_url of exactly 2,048 characters', async () => {
    const reply = await list(`?long_url=${'a'.repeat(2048)}`);
    expect(reply.status).toBe(200);
    expect(reply.body.total).toBe(0);
  });

  it("workspace isolation: another workspace sees only its own links", async () => {
    const other = await newWorkspace(stack);
    expect((await list('', other)).body).toEqual({ offset: 0, limit: 20, total: 0, results: [] });
    expect((await list(`?long_url=${encodeURIComponent('https://example.com/p/1')}`, other)).body.total).toBe(0);
    expect((await list(`?long_url=${encodeURIComponent('https://example.com/p/1')}`)).body.total).toBe(1);
  });
});
