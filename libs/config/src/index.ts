import Joi from 'joi';

/** Thrown at start-up when the environment does not satisfy a service's schema; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

/**
 * Validates the environment against `schema` (env variable names as keys) once, then maps the
 * validated values to a typed, frozen config object.
 */
export function loadConfig<T>(
  schema: Joi.PartialSchemaMap,
  toConfig: (env: Record<string, any>) => T,
  env: Env = process.env,
): Readonly<T> {
  const { error, value } = Joi.object(schema).validate(env, {
    abortEarly: false,
    allowUnknown: true,
    stripUnknown: true,
    convert: true,
  });
  if (error) throw new ConfigError(error.details.map((d) => d.message));
  return deepFreeze(toConfig(value));
}

const port = Joi.number().integer().min(0).max(65535);

/**
 * A secret with a development default that only development may use: with NODE_ENV=production the
 * variable must be set, and to something other than the published default, or the service refuses
 * to start. `base` adds the secret's own format rules.
 */
function secret(name: string, developmentDefault: string, base: Joi.StringSchema = Joi.string().min(16)): Joi.Schema {
  return Joi.when('NODE_ENV', {
    is: 'production',
    then: base
      .required()
      .custom((value: string, helpers) => (value === developmentDefault ? helpers.error('secret.development') : value))
      .messages({
        'any.required': `"${name}" must be set when NODE_ENV=production`,
        'secret.development': `"${name}" is the published development default: set a secret of your own when NODE_ENV=production`,
      }),
    otherwise: base.default(developmentDefault),
  });
}
const csv = Joi.string().custom((v: string) => v.split(',').map((s) => s.trim()).filter(Boolean));

/** Env fragments every service shares; spread into a service's schema. */
export const env = {
  server: (defaultPort: number) => ({
    HOST: Joi.string().default('0.0.0.0'),
    PORT: port.default(defaultPort),
    LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
    SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(0).default(10_000),
    NODE_ENV: Joi.string().default('development'),
    INTERNAL_SECRET: secret('INTERNAL_SECRET', 'hop-dev-internal-secret-change-me'),
  }),
  postgres: (database: string) => ({
    DATABASE_URL: Joi.string()
      .uri({ scheme: ['postgres', 'postgresql'] })
      .default(`postgres://postgres@127.0.0.1:5432/${database}`),
    DATABASE_POOL_SIZE: Joi.number().integer().min(1).default(10),
  }),
  redis: () => ({
    REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }).default('redis://127.0.0.1:6379'),
    REDIS_KEY_PREFIX: Joi.string().allow('').default('hop:'),
  }),
  kafka: (clientId: string) => ({
    KAFKA_BROKERS: csv.default(['127.0.0.1:9092']),
    KAFKA_TOPIC_PREFIX: Joi.string().allow('').default(''),
    KAFKA_CLIENT_ID: Joi.string().default(clientId),
  }),
  secret,
  url: (defaultValue: string) => Joi.string().uri({ scheme: ['http', 'https'] }).default(defaultValue),
  /**
   * An optional comma-separated list, read as an array of its trimmed, non-empty entries. An empty
   * value (compose passes `VAR=` for an unset one) reads as absent, so the field's default applies.
   */
  list: () => csv.empty(''),
};

export interface ServerConfig {
  host: string;
  port: number;
  logLevel: string;
  shutdownTimeoutMs: number;
  internalSecret: string;
}
export interface PostgresConfig {
  url: string;
  poolSize: number;
}
export interface RedisConfig {
  url: string;
  keyPrefix: string;
}
export interface KafkaConfig {
  brokers: string[];
  topicPrefix: string;
  clientId: string;
}

/** Mappers from validated env values to the typed config sections. */
export const read = {
  server: (v: Record<string, any>): ServerConfig => ({
    host: v.HOST,
    port: v.PORT,
    logLevel: v.LOG_LEVEL,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    internalSecret: v.INTERNAL_SECRET,
  }),
  postgres: (v: Record<string, any>): PostgresConfig => ({ url: v.DATABASE_URL, poolSize: v.DATABASE_POOL_SIZE }),
  redis: (v: Record<string, any>): RedisConfig => ({ url: v.REDIS_URL, keyPrefix: v.REDIS_KEY_PREFIX }),
  kafka: (v: Record<string, any>): KafkaConfig => ({
    brokers: v.KAFKA_BROKERS,
    topicPrefix: v.KAFKA_TOPIC_PREFIX,
    clientId: v.KAFKA_CLIENT_ID,
  }),
};

export { Joi };

export interface ServiceConfigSpec {
  service: string;
  port: number;
  /** The service's own database (omit for services without one). */
  database?: string;
  redis?: boolean;
  kafka?: boolean;
}

export interface StandardConfig {
  service: string;
  server: ServerConfig;
  postgres: PostgresConfig;
  redis: RedisConfig;
  kafka: KafkaConfig;
}

/**
 * Loads the sections every service shares plus the service's own variables (`schema`, mapped by
 * `toExtra`) in one validation pass, so one error lists every bad variable.
 */
export function loadServiceConfig<X extends object>(
  spec: ServiceConfigSpec,
  schema: Joi.PartialSchemaMap,
  toExtra: (v: Record<string, any>) => X,
  environment: Env = process.env,
): Readonly<StandardConfig & X> {
  const full = {
    ...env.server(spec.port),
    ...(spec.database ? env.postgres(spec.database) : {}),
    ...(spec.redis !== false ? env.redis() : {}),
    ...(spec.kafka !== false ? env.kafka(spec.service) : {}),
    ...schema,
  };
  return loadConfig(
    full,
    (v) => ({
      service: spec.service,
      server: read.server(v),
      postgres: read.postgres(v),
      redis: read.redis(v),
      kafka: read.kafka(v),
      ...toExtra(v),
    }),
    environment,
  );
}
