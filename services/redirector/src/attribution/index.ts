import type { AttributionDeps, Handler } from '../http/handler-types';
import { analyticsJsHandler } from './analytics-js-handler';
import { embedHandler } from './embed-handler';
import { qrcodeHandler } from './qrcode-handler';

/** The short domain's browser attribution routes: GET /qrcode, GET /analytics.js, GET|POST /:shortId/analytics.js. */
export function attributionHandlers(deps: AttributionDeps): { qrcode: Handler; analyticsJs: Handler; embedScript: Handler } {
  return { qrcode: qrcodeHandler(deps.config.shortBaseUrl, deps.config.domainUrlScheme, deps.domains), analyticsJs: analyticsJsHandler, embedScript: embedHandler(deps) };
}
