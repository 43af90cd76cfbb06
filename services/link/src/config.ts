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
    },
    (v) => ({
      shortBaseUrl: (v.SHORT_BASE_URL as string).replace(/\/+$/, ''),
      catalogUrl: v.CATALOG_URL as string,
      partnerUrl: v.PARTNER_URL as string,
      /** Kept as text: the frozen config cannot hold a Buffer. */
      passwordEncryptionKey: v.PASSWORD_ENCRYPTION_KEY as string,
      jsonLimit: v.LINK_JSON_LIMIT as string,
    }),
    environment,
  );

export type LinkConfig = ReturnType<typeof loadLinkConfig>;
