import { Joi, env, loadServiceConfig } from '@hop/config';
import { DEFAULT_RETRY_POLICY } from './domain/retry-schedule';
import { decodeSecretKey } from './infra/secret-box';

/** Development-only key: production deployments must set WEBHOOK_SECRET_KEY. */
const DEV_SECRET_KEY = '686f702d6465762d776562686f6f6b2d7365637265742d6b65792d2d21212121';
const KEY_MESSAGE = 'must be 32 bytes written as 64 hex characters or base64';
const aesKey = Joi.string().custom((value: string, helpers) => (decodeSecretKey(value) ? value : helpers.error('any.invalid')));

const positiveInt = Joi.number().integer().min(1);

export const loadWebhookConfig = (environment: Record<string, string | undefined> = process.env) =>
  loadServiceConfig(
    { service: 'webhook', port: 4006, database: 'hop_webhook' },
    {
      LINK_URL: env.url('http://127.0.0.1:4001'),
      // Receivers on plain http (production: https only).
      WEBHOOK_ALLOW_HTTP: Joi.boolean().default(false),
      // Address ranges allowed although forbidden by default (loopback, private, link-local, CGNAT, metadata), e.g. 127.0.0.0/8,::1/128.
      WEBHOOK_ALLOWED_CIDRS: env.list().default([]),
      // DNS servers ("host:port", comma-separated) for receivers' names instead of the system resolver.
      WEBHOOK_DNS_SERVERS: env.list().default([]),
      WEBHOOK_TIMEOUT_MS: positiveInt.max(60_000).default(10_000),
      WEBHOOK_MAX_RESPONSE_BYTES: positiveInt.default(64 * 1024),
      WEBHOOK_RETRY_BASE_MS: positiveInt.default(DEFAULT_RETRY_POLICY.baseDelayMs),
      WEBHOOK_RETRY_MAX_DELAY_MS: positiveInt.default(DEFAULT_RETRY_POLICY.maxDelayMs),
      WEBHOOK_MAX_ATTEMPTS: positiveInt.max(100).default(DEFAULT_RETRY_POLICY.maxAttempts),
      WEBHOOK_DISABLE_AFTER_FAILURES: positiveInt.default(5),
      WEBHOOK_CONCURRENCY: positiveInt.default(256),
      WEBHOOK_SUBSCRIPTION_CONCURRENCY: positiveInt.default(32),
      WEBHOOK_POLL_MS: positiveInt.default(250),
      WEBHOOK_CONSUMER_GROUP: Joi.string().default('webhook'),
      // Encrypts signing secrets at rest (AES-256-GCM).
      WEBHOOK_SECRET_KEY: env.secret('WEBHOOK_SECRET_KEY', DEV_SECRET_KEY, aesKey.messages({ 'any.invalid': `"WEBHOOK_SECRET_KEY" ${KEY_MESSAGE}` })),
      // Keys replaced by WEBHOOK_SECRET_KEY (comma-separated): still read; what they sealed is sealed again with the current key at start-up.
      WEBHOOK_SECRET_KEYS_PREVIOUS: env
        .list()
        .default([])
        .custom((keys: string[], helpers) => (keys.every((k) => decodeSecretKey(k)) ? keys : helpers.error('any.invalid')))
        .messages({ 'any.invalid': `each of "WEBHOOK_SECRET_KEYS_PREVIOUS" ${KEY_MESSAGE}` }),
      // Finished deliveries and their attempts are kept this many days (pending ones until they finish).
      WEBHOOK_LOG_RETENTION_DAYS: positiveInt.max(3650).default(30),
    },
    (v) => ({
      linkUrl: v.LINK_URL as string,
      webhooks: {
        allowHttp: v.WEBHOOK_ALLOW_HTTP as boolean,
        allowedCidrs: v.WEBHOOK_ALLOWED_CIDRS as string[],
        dnsServers: v.WEBHOOK_DNS_SERVERS as string[],
        timeoutMs: v.WEBHOOK_TIMEOUT_MS as number,
        maxResponseBytes: v.WEBHOOK_MAX_RESPONSE_BYTES as number,
        retry: {
          baseDelayMs: v.WEBHOOK_RETRY_BASE_MS as number,
          maxDelayMs: v.WEBHOOK_RETRY_MAX_DELAY_MS as number,
          maxAttempts: v.WEBHOOK_MAX_ATTEMPTS as number,
        },
        disableAfterFailures: v.WEBHOOK_DISABLE_AFTER_FAILURES as number,
        concurrency: v.WEBHOOK_CONCURRENCY as number,
        subscriptionConcurrency: v.WEBHOOK_SUBSCRIPTION_CONCURRENCY as number,
        pollMs: v.WEBHOOK_POLL_MS as number,
        consumerGroup: v.WEBHOOK_CONSUMER_GROUP as string,
        retentionDays: v.WEBHOOK_LOG_RETENTION_DAYS as number,
        /** Kept as text: the frozen config cannot hold a Buffer. */
        secretKey: v.WEBHOOK_SECRET_KEY as string,
        previousSecretKeys: v.WEBHOOK_SECRET_KEYS_PREVIOUS as string[],
      },
    }),
    environment,
  );

export type WebhookConfig = ReturnType<typeof loadWebhookConfig>;
