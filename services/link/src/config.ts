import { Joi, env, loadServiceConfig } from '@hop/config';
import { decodeEncryptionKey } from './domain/password-cipher';

/** Development-only key: production deployments must set PASSWORD_ENCRYPTION_KEY. */
const DEV_PASSWORD_KEY = '686f702d6465762d70617373776f72642d6b65792d6368616e67652d6d652121';

export const loadLinkConfig = (environment: Record<string, string | undefined> = process.env) =>
  loadServiceConfig(
    { service: 'link', port: 4001, database: 'hop_link' },
    {
      SHORT_BASE_URL: env.url('http://localhost:8081'),
      CATALOG_URL: env.url('http://127.0.0.1:4002'),
      PARTNER_URL: env.url('http://127.0.0.1:4003'),
      PASSWORD_ENCRYPTION_KEY: env.secret(
        'PASSWORD_ENCRYPTION_KEY',
        DEV_PASSWORD_KEY,
        Joi.string()
          .custom((value: string, helpers) => (decodeEncryptionKey(value) ? value : helpers.error('any.invalid')))
          .messages({ 'any.invalid': '"PASSWORD_ENCRYPTION_KEY" must be 32 bytes written as 64 hex characters or base64' }),
      ),
      /** Bodies of 10,000 links exceed the usual 1 MB. */
      LINK_JSON_LIMIT: Joi.string().default('32mb'),
      /** The public API's URL: its host (like SHORT_BASE_URL's) can never be a branded domain. */
      API_BASE_URL: env.url('http://localhost:8080'),
      /** Scheme of branded domains' short URLs (TLS by Caddy/cert-manager in production). */
      DOMAIN_URL_SCHEME: Joi.string().valid('http', 'https').default('https'),
      /** DNS servers for domain verification, `ip` or `ip:port`, comma-separated; empty: the system's. */
      DNS_SERVERS: Joi.string()
        .allow('')
        .default('')
        .pattern(/^(\s*[0-9a-fA-F.:[\]]+\s*)(,\s*[0-9a-fA-F.:[\]]+\s*)*$|^$/),
      DNS_TIMEOUT_MS: Joi.number().integer().min(50).default(2_000),
      /** Unverified domains are re-checked this often (seconds); 0 turns the periodic checks off (both kinds). */
      DOMAIN_CHECK_INTERVAL_S: Joi.number().integer().min(0).default(300),
      /** For how long an unverified domain is re-checked, from being added or losing its verification (default 72 h). */
      DOMAIN_VERIFY_WINDOW_S: Joi.number().integer().min(1).default(72 * 3600),
      /** Verified domains are re-checked this often (default 6 h); 0: never (they stay verified). */
      DOMAIN_RECHECK_INTERVAL_S: Joi.number().integer().min(0).default(6 * 3600),
      /** A verified domain becomes `failed` after this many consecutive re-checks without its TXT record. */
      DOMAIN_RECHECK_FAILURES: Joi.number().integer().min(1).default(4),
    },
    (v) => ({
      shortBaseUrl: (v.SHORT_BASE_URL as string).replace(/\/+$/, ''),
      catalogUrl: v.CATALOG_URL as string,
      partnerUrl: v.PARTNER_URL as string,
      /** Kept as text: the frozen config cannot hold a Buffer. */
      passwordEncryptionKey: v.PASSWORD_ENCRYPTION_KEY as string,
      jsonLimit: v.LINK_JSON_LIMIT as string,
      apiBaseUrl: v.API_BASE_URL as string,
      domainUrlScheme: v.DOMAIN_URL_SCHEME as 'http' | 'https',
      dnsServers: (v.DNS_SERVERS as string).split(',').map((s) => s.trim()).filter(Boolean),
      dnsTimeoutMs: v.DNS_TIMEOUT_MS as number,
      domainChecks: {
        unverifiedIntervalMs: (v.DOMAIN_CHECK_INTERVAL_S as number) * 1000,
        verifyWindowMs: (v.DOMAIN_VERIFY_WINDOW_S as number) * 1000,
        recheckIntervalMs: (v.DOMAIN_RECHECK_INTERVAL_S as number) * 1000,
        recheckFailures: v.DOMAIN_RECHECK_FAILURES as number,
      },
    }),
    environment,
  );

export type LinkConfig = ReturnType<typeof loadLinkConfig>;
