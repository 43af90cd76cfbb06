import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHopClient } from './client';
import { listAll, unwrap } from './paging';

/** A loopback server answering each request with the next of `answers` and recording what it got. */
async function serverAnswering(answers: { status: number; body: unknown; headers?: Record<string, string> }[]) {
  const seen: { url: string; authorization?: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization, body });
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)];
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const RATE_LIMITED = { status: 429, body: { error: { en: 'Rate limit exceeded', ar: 'تم تجاوز حد المعدل' }, retryAfter: 0 }, headers: { 'retry-after': '0' } };
const TAG = { id: '6f1c2d9e-8a47-4c1b-9d2e-3f4a5b6c7d8e', name: 'a', color: 'red' };

describe('createHopClient', () => {
  it('sends the key as a Bearer token and retries a 429 after its retryAfter, body included', async () => {
    const server = await serverAnswering([RATE_LIMITED, { status: 201, body: [TAG] }]);
    try {
      const hop = createHopClient({ baseUrl: server.url, apiKey: 'hop_secret' });
      const created = unwrap(await hop.POST('/api/tags', { body: [{ name: 'a', color: 'red' }] }));
      expect(created).toEqual([TAG]);
      expect(server.seen).toHaveLength(2);
      expect(server.seen.map((s) => s.authorization)).toEqual(['Bearer hop_secret', 'Bearer hop_secret']);
      expect(server.seen[1].body).toBe(JSON.stringify([{ name: 'a', color: 'red' }]));
    } finally {
      await server.close();
    }
  });

  it('gives up after its retries, and does not wait longer than allowed', async () => {
    const server = await serverAnswering([RATE_LIMITED]);
    try {
      const hop = createHopClient({ baseUrl: server.url, apiKey: 'k', rateLimitRetries: 1 });
      const { error, response } = await hop.GET('/api/tags');
      expect(response.status).toBe(429);
      expect(error).toMatchObject({ retryAfter: 0 });
      expect(server.seen).toHaveLength(2);

      const patient = createHopClient({ baseUrl: server.url, apiKey: 'k', maxRetryAfterSeconds: -1 });
      expect((await patient.GET('/api/tags')).response.status).toBe(429);
      expect(server.seen).toHaveLength(3);
    } finally {
      await server.close();
    }
  });
});

describe('listAll', () => {
  it('asks page after page until X-Total-Count is reached', async () => {
    const page = (n: number) => ({ status: 200, body: Array.from({ length: n }, () => TAG), headers: { 'x-total-count': '5' } });
    const server = await serverAnswering([page(2), page(2), page(1)]);
    try {
      const hop = createHopClient({ baseUrl: server.url, apiKey: 'k' });
      const all = await listAll(({ take, skip }) => hop.GET('/api/tags', { params: { query: { take, skip } } }), 2);
      expect(all).toHaveLength(5);
      expect(server.seen.map((s) => s.url)).toEqual(['/api/tags?take=2&skip=0', '/api/tags?take=2&skip=2', '/api/tags?take=2&skip=4']);
    } finally {
      await server.close();
    }
  });
});
