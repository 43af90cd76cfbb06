import os from 'node:os';
import path from 'node:path';
import bytes from 'bytes';
import { Joi, env, loadServiceConfig } from '@hop/config';

const byteSize = Joi.string().custom((value: string, helpers) => {
  const parsed = bytes.parse(value);
  return parsed && parsed > 0 ? value : helpers.error('any.invalid');
}, 'byte size such as 25mb');

const positiveInt = Joi.number().integer().min(1);

export const loadGatewayConfig = (environment: Record<string, string | undefined> = process.env) =>
  loadServiceConfig(
    { service: 'gateway', port: 8080, database: 'hop_gateway' },
    {
      LINK_URL: env.url('http://127.0.0.1:4001'),
      CATALOG_URL: env.url('http://127.0.0.1:4002'),
      PARTNER_URL: env.url('http://127.0.0.1:4003'),
      ANALYTICS_URL: env.url('http://127.0.0.1:4004'),
      CONVERSION_URL: env.url('http://127.0.0.1:4005'),
      WEBHOOK_URL: env.url('http://127.0.0.1:4006'),
      // the console's static server (/app); not an API upstream: pages only, no proof or context
      CONSOLE_URL: env.url('http://127.0.0.1:4007'),
      ADMIN_TOKEN: env.secret('ADMIN_TOKEN', 'hop-dev-admin-token-change-me'),
      UPSTREAM_TIMEOUT_MS: positiveInt.default(30_000),
      // 10,000 links with every field set stay well under this
      BODY_LIMIT: byteSize.default('25mb'),
      KEY_CACHE_TTL_SECONDS: positiveInt.default(60),
      AUTH_FAILURES_PER_MINUTE: positiveInt.default(20),
      LAST_USED_FLUSH_MS: positiveInt.default(5_000),
      // the values of express's "trust proxy" setting, so the brute-force guard sees the client's address behind a load balancer
      TRUST_PROXY: Joi.alternatives(Joi.boolean(), Joi.number().integer().min(0), Joi.string()).default(false),
      HOP_DATA_DIR: Joi.string().default(path.join(os.homedir(), '.cache', 'hop')),
      // the access context (README "Accounts, sessions and roles")
      SESSION_IDLE_TIMEOUT_SECONDS: positiveInt.default(12 * 3600),
      SESSION_MAX_AGE_SECONDS: positiveInt.default(7 * 24 * 3600),
      COOKIE_SECURE: Joi.string().valid('auto', 'always', 'never').default('auto'),
      // where browsers reach Hop (invitation links, the allowed Origin); unset: the request's own origin
      PUBLIC_URL: env.url('').allow(''),
      INVITATION_TTL_HOURS: positiveInt.default(72),
      LOGIN_FAILURES_PER_ACCOUNT: positiveInt.default(5),
      LOGIN_FAILURES_PER_ADDRESS: positiveInt.default(50),
      LOGIN_THROTTLE_WINDOW_SECONDS: positiveInt.default(900),
      // audit.v1 events of other services (Kafka); off, the gateway runs without Kafka
      AUDIT_EVENTS_CONSUMER: Joi.boolean().default(true),
    },
    (v) => ({
      upstreams: {
        link: v.LINK_URL as string,
        catalog: v.CATALOG_URL as string,
        partner: v.PARTNER_URL as string,
        analytics: v.ANALYTICS_URL as string,
        conversion: v.CONVERSION_URL as string,
        webhook: v.WEBHOOK_URL as string,
      },
      consoleUrl: v.CONSOLE_URL as string,
      adminToken: v.ADMIN_TOKEN as string,
      upstreamTimeoutMs: v.UPSTREAM_TIMEOUT_MS as number,
      bodyLimitBytes: bytes.parse(v.BODY_LIMIT as string) as number,
      keyCacheTtlSeconds: v.KEY_CACHE_TTL_SECONDS as number,
      authFailuresPerMinute: v.AUTH_FAILURES_PER_MINUTE as number,
      lastUsedFlushMs: v.LAST_USED_FLUSH_MS as number,
      trustProxy: v.TRUST_PROXY as boolean | number | string,
      dataDir: v.HOP_DATA_DIR as string,
      access: {
        sessionIdleSeconds: v.SESSION_IDLE_TIMEOUT_SECONDS as number,
        sessionMaxAgeSeconds: v.SESSION_MAX_AGE_SECONDS as number,
        invitationTtlSeconds: (v.INVITATION_TTL_HOURS as number) * 3600,
      },
      cookieSecurity: v.COOKIE_SECURE as 'auto' | 'always' | 'never',
      publicOrigin: v.PUBLIC_URL ? new URL(v.PUBLIC_URL as string).origin : null,
      publicUrl: ((v.PUBLIC_URL as string) || '').replace(/\/+$/, '') || null,
      loginThrottle: {
        perAccount: v.LOGIN_FAILURES_PER_ACCOUNT as number,
        perAddress: v.LOGIN_FAILURES_PER_ADDRESS as number,
        windowSeconds: v.LOGIN_THROTTLE_WINDOW_SECONDS as number,
      },
      auditEventsConsumer: v.AUDIT_EVENTS_CONSUMER as boolean,
    }),
    environment,
  );

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
