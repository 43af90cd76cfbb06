import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError } from '@hop/errors';
import { InternalClient } from './internal-client';

/** A peer on loopback answering every request with `answer`. */
async function peer(answer: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

const unavailable = (e: unknown) => e instanceof DomainError && e.code === 'UPSTREAM_UNAVAILABLE';

describe('InternalClient', () => {
  it('answers the JSON body of a 200 and null for a 404', async () => {
    const server = await peer((req, res) => res.writeHead(req.url === '/found' ? 200 : 404, { 'content-type': 'application/json' }).end('{"ok":true}'));
    try {
      const client = new InternalClient({ baseUrl: server.url, secret: 'internal-secret-0123456789' });
      expect(await client.get('/found', {})).toEqual({ ok: true });
      expect(await client.get('/missing', {})).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('turns a body cut off by the timeout, a body that is not JSON and a 5xx into UPSTREAM_UNAVAILABLE', async () => {
    const server = await peer((req, res) => {
      if (req.url === '/stalls') return void res.writeHead(200, { 'content-type': 'application/json' }).write('{"half":'); // never ends
      if (req.url === '/garbled') return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>');
      res.writeHead(503).end();
    });
    try {
      const client = new InternalClient({ baseUrl: server.url, secret: 'internal-secret-0123456789', timeoutMs: 300 });
      for (const path of ['/stalls', '/garbled', '/fails']) {
        const failure = await client.get(path, {}).then(
          () => new Error(`${path} resolved`),
          (e: unknown) => e,
        );
        expect(unavailable(failure)).toBe(true);
      }
    } finally {
      await server.close();
    }
  });
});
