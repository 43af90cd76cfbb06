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
    { service: 'gateway', port: 8080, database: 'hop_gateway', kafka: false },
    {
      LINK_URL: env.url('http://127.0.0.1:4001'),
      CATALOG_URL: env.url('http://127.0.0.1:4002'),
      PARTNER_URL: env.url('http://127.0.0.1:4003'),
      ANALYTICS_URL: env.url('http://127.0.0.1:4004'),
      CONVERSION_URL: env.url('http://127.0.0.1:4005'),
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
    },
    (v) => ({
      upstreams: {
        link: v.LINK_URL as string,
        catalog: v.CATALOG_URL as string,
        partner: v.PARTNER_URL as string,
        analytics: v.ANALYTICS_URL as string,
        conversion: v.CONVERSION_URL as string,
      },
      adminToken: v.ADMIN_TOKEN as string,
      upstreamTimeoutMs: v.UPSTREAM_TIMEOUT_MS as number,
      bodyLimitBytes: bytes.parse(v.BODY_LIMIT as string) as number,
      keyCacheTtlSeconds: v.KEY_CACHE_TTL_SECONDS as number,
      authFailuresPerMinute: v.AUTH_FAILURES_PER_MINUTE as number,
      lastUsedFlushMs: v.LAST_USED_FLUSH_MS as number,
      trustProxy: v.TRUST_PROXY as boolean | number | string,
      dataDir: v.HOP_DATA_DIR as string,
    }),
    environment,
  );

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
