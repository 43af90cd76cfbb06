import { createHash } from 'node:crypto';
import type { Handler } from '../http/handler-types';
import { ANALYTICS_JS } from './browser-scripts';
import { etagMatches } from './responses';

const ETAG = `"${createHash('sha256').update(ANALYTICS_JS).digest('base64url').slice(0, 27)}"`;
const HEADERS = {
  'content-type': 'application/javascript; charset=utf-8',
  // An hour: pages pick up a new version soon after a deploy; the ETag makes revalidation cheap.
  'cache-control': 'public, max-age=3600',
  etag: ETAG,
  'x-content-type-options': 'nosniff',
};

/** GET /analytics.js: the browser attribution script (stores hoko_id; no network request). */
export const analyticsJsHandler: Handler = (req, res) => {
  if (etagMatches(req.headers['if-none-match'], ETAG)) res.writeHead(304, HEADERS).end();
  else res.writeHead(200, { ...HEADERS, 'content-length': Buffer.byteLength(ANALYTICS_JS) }).end(ANALYTICS_JS);
  return Promise.resolve();
};
