import type http from 'node:http';
import type Redis from 'ioredis';
import type { Logger } from '@hop/telemetry';
import type { DomainRecord } from '@hop/events';
import type { ClickRecorder, DomainLookup, Geo, RouteLookup } from '../app/ports';

export type { ClickRecorder, DomainLookup, RouteLookup };

/**
 * A bare node:http handler; `shortId` is set for routes under /:shortId/… (the key), `site` when
 * the request came to a branded domain.
 */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, shortId?: string, site?: DomainRecord) => Promise<void>;

/** What the attribution handlers (QR codes, /analytics.js, /:shortId/analytics.js) get from the redirector. */
export interface AttributionDeps {
  /** The settings they read (RedirectorConfig has them). */
  config: { shortBaseUrl: string; domainUrlScheme: 'http' | 'https'; captureSecret: string; clientIpHeader: string };
  /** Where a visitor is (trusted headers or the GeoIP database). */
  geoOf: (req: http.IncomingMessage, ip: string | null) => Geo;
  routes: RouteLookup;
  domains: DomainLookup;
  clicks: ClickRecorder;
  redis: Redis;
  logger: Logger;
}
