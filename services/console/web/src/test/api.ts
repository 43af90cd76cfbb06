import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, vi } from 'vitest';

/** One request the console made, as the test API received it. */
export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** Answers `METHOD /path` (no query); the handler may write the response itself (a stream). */
export type Handler = (request: Received, res: ServerResponse) => Answer | void | Promise<Answer | void>;
export interface Answer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Hop's error body: the bilingual message and the validator's details. */
export const apiError = (status: number, en: string, ar: string, details: unknown[] = []): Answer => ({ status, body: { error: { en, ar }, details } });

const nativeFetch = globalThis.fetch;
const servers = new Set<ReturnType<typeof createServer>>();

/**
 * Serves the gateway's API to the component under test from a real local HTTP server with
 * recorded Hop-shaped answers, and points the page's same-origin `fetch('/api/…')` at it. Every
 * request is kept in `received`. A route not given answers 404 (and fails the test that needs it).
 */
export async function serveApi(routes: Record<string, Handler>) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://api');
      const request: Received = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: text ? JSON.parse(text) : undefined };
      received.push(request);
      const handler = routes[`${request.method} ${request.path}`];
      Promise.resolve(handler ? handler(request, res) : apiError(404, 'Not found', 'غير موجود'))
        .then((answer) => {
          if (!answer) return;
          const headers = { 'content-type': 'application/json', ...answer.headers };
          res.writeHead(answer.status ?? 200, headers).end(answer.body === undefined ? '' : JSON.stringify(answer.body));
        })
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
    });
  });
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  vi.stubGlobal('fetch', (input: string | URL, init: RequestInit = {}) => bridgedFetch(new URL(String(input), origin), init));
  return {
    received,
    /** The requests made to one path (any method unless given). */
    to: (path: string, method?: string) => received.filter((r) => r.path === path && (!method || r.method === method)),
  };
}

/**
 * Node's fetch refuses jsdom's AbortSignal, so the request goes without it and an abort is
 * relayed as browsers do it: the body's stream errors with the signal's reason and the connection
 * is closed.
 */
async function bridgedFetch(url: URL, { signal, ...init }: RequestInit): Promise<Response> {
  signal?.throwIfAborted();
  const res = await nativeFetch(url, init);
  if (!signal || !res.body) return res;
  const reader = res.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      signal.addEventListener('abort', () => {
        controller.error(signal.reason);
        void reader.cancel();
      });
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (signal.aborted) return;
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

afterEach(async () => {
  vi.unstubAllGlobals();
  await Promise.all(
    [...servers].map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
  servers.clear();
});
