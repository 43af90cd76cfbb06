import os from 'node:os';
import path from 'node:path';
import { Joi, env, loadServiceConfig } from '@hop/config';
import { CLICK_EVENT_CHECKS, type ClickEventCheck } from './infra/click-message';

const DEV_SECRET = 'hop-dev-redirector-secret-change-me';
const headerName = Joi.string().lowercase().pattern(/^[a-z0-9-]*$/).allow('').default('');

export const loadRedirectorConfig = (environment: Record<string, string | undefined> = process.env) =>
  loadServiceConfig(
    { service: 'redirector', port: 8081 },
    {
      SHORT_BASE_URL: env.url('http://localhost:8081'),
      LINK_URL: env.url('http://127.0.0.1:4001'),
      /** Scheme of branded domains' short URLs (as the link service's DOMAIN_URL_SCHEME). */
      DOMAIN_URL_SCHEME: Joi.string().valid('http', 'https').default('https'),
      /** HMAC secret of the attribution capture tokens (issue 9). */
      CAPTURE_SECRET: env.secret('CAPTURE_SECRET', DEV_SECRET),
      /** Keys the visitor IP hash: clicks carry HMAC(IP), never the IP. */
      IP_HASH_SECRET: env.secret('IP_HASH_SECRET', DEV_SECRET),
      /** Header a trusted proxy/CDN sets with the visitor's country (e.g. cf-ipcountry); empty = GeoIP lookup. */
      GEO_COUNTRY_HEADER: headerName,
      GEO_CITY_HEADER: headerName,
      /** Header a trusted proxy sets with the client IP (first entry used); empty = the socket's address. */
      CLIENT_IP_HEADER: headerName,
      ROUTE_CACHE_TTL_MS: Joi.number().integer().min(0).default(10_000),
      ROUTE_CACHE_MISS_TTL_MS: Joi.number().integer().min(0).default(1_000),
      ROUTE_CACHE_MAX: Joi.number().integer().min(1).default(100_000),
      /** How long a Redis or link-service lookup may take before the next fallback is used. */
      ROUTE_LOOKUP_TIMEOUT_MS: Joi.number().integer().min(10).default(500),
      CLICK_BATCH_SIZE: Joi.number().integer().min(1).max(10_000).default(1_000),
      CLICK_LINGER_MS: Joi.number().integer().min(0).default(20),
      /** Clicks kept in memory while Kafka is unreachable before spilling to the spool file. */
      CLICK_BUFFER_MAX: Joi.number().integer().min(1).default(10_000),
      INSTANCE_ID: Joi.string().pattern(/^[\w.-]+$/).default(os.hostname().replace(/[^\w.-]/g, '_')),
      CLICK_SPOOL_DIR: Joi.string().allow(''),
      /** On shutdown, how long to keep sending clicks to Kafka before spooling the rest. */
      CLICK_FLUSH_TIMEOUT_MS: Joi.number().integer().min(0).default(5_000),
      /**
       * How much of what is sent to clicks.v1 is checked against its contract: every click, or the
       * first click of each batch (production's default: the check costs ~10 µs of CPU a click, an
       * eighth of a redirect; a break in the code shows in every batch at once, and the consumers
       * check every event anyway, skipping and counting one that breaks the contract).
       */
      CLICK_EVENT_CHECK: Joi.string()
        .valid(...CLICK_EVENT_CHECKS)
        .default(environment.NODE_ENV === 'production' ? 'first-of-batch' : 'every'),
      PASSWORD_MAX_ATTEMPTS: Joi.number().integer().min(1).default(10),
      PASSWORD_WINDOW_S: Joi.number().integer().min(1).default(900),
      PASSWORD_BODY_LIMIT: Joi.number().integer().min(64).default(4_096),
      VISITOR_COOKIE: Joi.string().pattern(/^[\w-]+$/).default('hop_vid'),
      PROJECTOR_PORT: Joi.number().integer().min(0).max(65535).default(8082),
    },
    (v) => ({
      shortBaseUrl: String(v.SHORT_BASE_URL).replace(/\/+$/, ''),
      linkUrl: v.LINK_URL as string,
      domainUrlScheme: v.DOMAIN_URL_SCHEME as 'http' | 'https',
      captureSecret: v.CAPTURE_SECRET as string,
      ipHashSecret: v.IP_HASH_SECRET as string,
      geo: { countryHeader: v.GEO_COUNTRY_HEADER as string, cityHeader: v.GEO_CITY_HEADER as string },
      clientIpHeader: v.CLIENT_IP_HEADER as string,
      routeCache: {
        ttlMs: v.ROUTE_CACHE_TTL_MS as number,
        missTtlMs: v.ROUTE_CACHE_MISS_TTL_MS as number,
        max: v.ROUTE_CACHE_MAX as number,
        lookupTimeoutMs: v.ROUTE_LOOKUP_TIMEOUT_MS as number,
      },
      clicks: {
        batchSize: v.CLICK_BATCH_SIZE as number,
        lingerMs: v.CLICK_LINGER_MS as number,
        bufferMax: v.CLICK_BUFFER_MAX as number,
        flushTimeoutMs: v.CLICK_FLUSH_TIMEOUT_MS as number,
        eventCheck: v.CLICK_EVENT_CHECK as ClickEventCheck,
        spoolDir: (v.CLICK_SPOOL_DIR as string | undefined) || path.join(os.homedir(), '.cache', 'hop', 'spool', v.INSTANCE_ID as string),
      },
      password: {
        maxAttempts: v.PASSWORD_MAX_ATTEMPTS as number,
        windowS: v.PASSWORD_WINDOW_S as number,
        bodyLimit: v.PASSWORD_BODY_LIMIT as number,
      },
      visitorCookie: v.VISITOR_COOKIE as string,
      projectorPort: v.PROJECTOR_PORT as number,
    }),
    environment,
  );

export type RedirectorConfig = ReturnType<typeof loadRedirectorConfig>;
