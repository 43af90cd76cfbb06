import net from 'node:net';
import { DomainError } from '@hop/errors';
import { createLogger } from '@hop/telemetry';
import { createApp } from './app';
import { contextHeaders, signInternalRequest } from './internal-proof';
import { MAX_HEADER_BYTES, serve, type RunningServer } from './server';

const SECRET = 'unit-test-secret-0123456789';
const json = (res: Response): Promise<any> => res.json();

describe('createApp error mapping', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const app = createApp({
      service: 'test',
      logger: createLogger('test', 'silent'),
      internalSecret: SECRET,
      jsonLimit: '1kb',
      readiness: { fine: async () => undefined },
      routes: (a) => {
        a.post('/api/echo', (req, res) => {
          res.json({ body: req.body, workspaceId: req.context.workspaceId });
        });
        a.get('/api/boom', () => {
          throw new Error('secret internals at /srv/app.js:12');
        });
        a.get('/api/domain', () => {
          throw new DomainError('CLICK_NOT_FOUND', { params: { clickId: 'abc' } });
        });
      },
    });
    server = await serve(app, { port: 0, host: '127.0.0.1', logger: createLogger('test', 'silent') });
  });
  afterAll(() => server.close());

  const signed = (method: string, url: string, extra: Record<string, string> = {}) => {
    const ctx = contextHeaders({ workspaceId: 'ws-1', scopes: ['linksRead'] });
    return { ...ctx, ...signInternalRequest(SECRET, method, url, ctx), ...extra };
  };

  it('answers unknown routes with 404 in the bilingual shape', async () => {
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    const body = await json(res);
    expect(body.error).toEqual({ en: 'Not found', ar: 'غير موجود' });
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers malformed JSON with 400', async () => {
    const res = await fetch(`${server.url}/api/echo`, {
      method: 'POST',
      headers: signed('POST', '/api/echo', { 'content-type': 'application/json' }),
      body: '{"a":',
    });
    expect(res.status).toBe(400);
    expect((await json(res)).error.en).toBe('Invalid request format');
  });

  it('answers an oversized body with 413', async () => {
    const res = await fetch(`${server.url}/api/echo`, {
      method: 'POST',
      headers: signed('POST', '/api/echo', { 'content-type': 'application/json' }),
      body: JSON.stringify({ big: 'x'.repeat(5_000) }),
    });
    expect(res.status).toBe(413);
    expect((await json(res)).error).toEqual({ en: 'Request body too large', ar: 'حجم نص الطلب كبير جدًا' });
  });

  it.each(['latin1', 'iso-8859-1', 'x-unknown'])('answers a JSON body in charset %s with 415 naming the charset', async (charset) => {
    const res = await fetch(`${server.url}/api/echo`, {
      method: 'POST',
      headers: signed('POST', '/api/echo', { 'content-type': `application/json; charset=${charset}` }),
      body: JSON.stringify({ a: 1 }),
    });
    expect(res.status).toBe(415);
    const body = await json(res);
    expect(body.error.en).toBe(`Unsupported charset "${charset}": send the body as UTF-8`);
    expect(body.error.ar).toContain(charset);
  });

  it('answers an unknown thrown error with 500 and no stack or internals', async () => {
    const res = await fetch(`${server.url}/api/boom`, { headers: signed('GET', '/api/boom') });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).error.en).toBe('Internal server error');
    expect(text).not.toMatch(/srv|secret|at /);
  });

  it('maps a domain error code to its status and filled bilingual message', async () => {
    const res = await fetch(`${server.url}/api/domain`, { headers: signed('GET', '/api/domain') });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toEqual({
      en: 'Click ID abc not found or does not belong to your workspace',
      ar: 'معرف النقرة abc غير موجود أو لا ينتمي إلى مساحة العمل الخاصة بك',
    });
  });

  it('refuses /api requests without a valid gateway proof', async () => {
    const unsigned = await fetch(`${server.url}/api/domain`, { headers: { 'x-hop-workspace-id': 'ws-1' } });
    expect(unsigned.status).toBe(401);
    const tampered = await fetch(`${server.url}/api/domain`, {
      headers: { ...signed('GET', '/api/domain'), 'x-hop-workspace-id': 'ws-2' },
    });
    expect(tampered.status).toBe(401);
  });

  it('passes the signed context to routes', async () => {
    const res = await fetch(`${server.url}/api/echo`, {
      method: 'POST',
      headers: signed('POST', '/api/echo', { 'content-type': 'application/json' }),
      body: JSON.stringify({ a: 1 }),
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ body: { a: 1 }, workspaceId: 'ws-1' });
  });

  it('reports readiness', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'ready', checks: { fine: 'ok' } });
  });
});

/** Sends raw bytes on a fresh connection and returns everything the server answered before closing. */
function rawExchange(url: string, request: Buffer): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseRaw(raw: string) {
  const [head, body] = raw.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), head, body: JSON.parse(body) };
}

describe('requests Node refuses before any handler', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve((_req, res) => res.end('ok'), { port: 0, host: '127.0.0.1', logger: createLogger('test', 'silent') });
  });
  afterAll(() => server.close());

  it('answers a 64 KB query string with 414 in the error shape, naming the limit', async () => {
    const raw = await rawExchange(server.url, Buffer.from(`GET /x?q=${'a'.repeat(64 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`));
    const { status, head, body } = parseRaw(raw);
    expect(status).toBe(414);
    expect(head).toMatch(/content-type: application\/json/i);
    expect(body.error.en).toContain(`at most ${MAX_HEADER_BYTES} bytes`);
    expect(body.error.ar).toBeTruthy();
  });

  it('answers oversized headers with 431 in the error shape', async () => {
    const raw = await rawExchange(server.url, Buffer.from(`GET /x HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(MAX_HEADER_BYTES)}\r\n\r\n`));
    const { status, body } = parseRaw(raw);
    expect(status).toBe(431);
    expect(body.error.en).toMatch(/^Request headers too large/);
  });

  it('answers a raw non-ASCII byte in the path with 400 in the error shape', async () => {
    const request = Buffer.concat([Buffer.from('GET /caf'), Buffer.from([0xe9]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]);
    const { status, body } = parseRaw(await rawExchange(server.url, request));
    expect(status).toBe(400);
    expect(body.error).toEqual({ en: 'Invalid request', ar: 'طلب غير صالح' });
    expect(body.details[0].message).toMatch(/percent-encode/);
  });

  it('still serves well-formed requests', async () => {
    expect(await (await fetch(`${server.url}/fine`)).text()).toBe('ok');
  });
});
