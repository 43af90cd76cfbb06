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
