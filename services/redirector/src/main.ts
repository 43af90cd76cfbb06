import type http from 'node:http';
import { registry } from '@hop/telemetry';
import { bootService, runMain, type Resources } from '@hop/runtime';
import { loadRedirectorConfig, type RedirectorConfig } from './config';

export function start(config: RedirectorConfig) {
  return bootService({
    name: config.service,
    server: config.server,
    redis: config.redis,
    kafka: { ...config.kafka, topics: [{ topic: 'clicks' }, { topic: 'links' }] },
    build: ({ redis }: Pick<Resources, 'redis'>) => ({
      // The visitor-facing hot path is a bare node:http handler, not express.
      handler: async (req: http.IncomingMessage, res: http.ServerResponse) => {
        if (req.url === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        if (req.url === '/readyz') {
          const ok = await redis.ping().then(() => true, () => false);
          return void res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ready' : 'not ready' }));
        }
        if (req.url === '/metrics') return void res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Not found</title><h1>Link not found</h1>');
      },
    }),
  });
}

if (require.main === module) runMain(() => loadRedirectorConfig(), start);
