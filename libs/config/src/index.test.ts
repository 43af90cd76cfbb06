import { ConfigError, Joi, env, loadConfig, read } from './index';

describe('loadConfig', () => {
  const schema = { ...env.server(4001), ...env.postgres('hop_test'), ...env.kafka('t'), NAME: Joi.string().required() };
  const toConfig = (v: Record<string, any>) => ({ server: read.server(v), db: read.postgres(v), kafka: read.kafka(v), name: v.NAME as string });

  it('applies defaults, converts types and freezes the result deeply', () => {
    const config = loadConfig(schema, toConfig, { NAME: 'x', PORT: '5000', KAFKA_BROKERS: 'a:1, b:2' });
    expect(config.server.port).toBe(5000);
    expect(config.db.url).toBe('postgres://postgres@127.0.0.1:5432/hop_test');
    expect(config.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(() => ((config.server as any).port = 1)).toThrow(TypeError);
  });

  it('lists every bad variable in one error', () => {
    try {
      loadConfig(schema, toConfig, { PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/DATABASE_URL/);
      expect(problems).toMatch(/LOG_LEVEL/);
      expect(problems).toMatch(/NAME/);
    }
  });
});

describe('development secrets in production', () => {
  const schema = { ...env.server(4001), TOKEN: env.secret('TOKEN', 'token-dev-default-change-me') };
  const toConfig = (v: Record<string, any>) => ({ server: read.server(v), token: v.TOKEN as string });
  const problemsOf = (environment: Record<string, string>) => {
    try {
      loadConfig(schema, toConfig, environment);
      return [];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return e.problems;
    }
  };

  it('uses the development defaults outside production', () => {
    const config = loadConfig(schema, toConfig, {});
    expect(config.server.internalSecret).toBe('hop-dev-internal-secret-change-me');
    expect(config.token).toBe('token-dev-default-change-me');
  });

  it('refuses to start in production with a secret left unset', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual(['"INTERNAL_SECRET" must be set when NODE_ENV=production', '"TOKEN" must be set when NODE_ENV=production']);
  });

  it('refuses the development INTERNAL_SECRET in production', () => {
    const problems = problemsOf({ NODE_ENV: 'production', INTERNAL_SECRET: 'hop-dev-internal-secret-change-me', TOKEN: 'a-token-of-our-own-123' });
    expect(problems).toEqual(['"INTERNAL_SECRET" is the published development default: set a secret of your own when NODE_ENV=production']);
  });

  it('accepts secrets of its own in production, still checked by their format', () => {
    const config = loadConfig(schema, toConfig, { NODE_ENV: 'production', INTERNAL_SECRET: 'a-secret-of-our-own-123', TOKEN: 'a-token-of-our-own-123' });
    expect(config.server.internalSecret).toBe('a-secret-of-our-own-123');
    expect(problemsOf({ NODE_ENV: 'production', INTERNAL_SECRET: 'short', TOKEN: 'a-token-of-our-own-123' })).toEqual([
      '"INTERNAL_SECRET" length must be at least 16 characters long',
    ]);
  });
});
