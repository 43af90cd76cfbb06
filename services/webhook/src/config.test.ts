import { randomBytes } from 'node:crypto';
import { loadWebhookConfig } from './config';

const problems = (env: Record<string, string>) => {
  try {
    loadWebhookConfig(env);
    return [];
  } catch (err) {
    return (err as { problems?: string[]; message: string }).problems ?? [(err as Error).message];
  }
};
const production = { NODE_ENV: 'production', INTERNAL_SECRET: 'a-secret-of-our-own-123' };
const key = randomBytes(32).toString('hex');

describe('WEBHOOK_SECRET_KEY', () => {
  it('is required in production, and the development key refused there', () => {
    expect(problems(production).join()).toMatch(/"WEBHOOK_SECRET_KEY" must be set when NODE_ENV=production/);
    const development = loadWebhookConfig({}).webhooks.secretKey;
    expect(problems({ ...production, WEBHOOK_SECRET_KEY: development }).join()).toMatch(/published development default/);
    expect(loadWebhookConfig({ ...production, WEBHOOK_SECRET_KEY: key }).webhooks.secretKey).toBe(key);
  });

  it('must be 32 bytes, as must each previous key', () => {
    expect(problems({ WEBHOOK_SECRET_KEY: 'short' }).join()).toMatch(/"WEBHOOK_SECRET_KEY" must be 32 bytes/);
    expect(problems({ WEBHOOK_SECRET_KEYS_PREVIOUS: `${key},nope` }).join()).toMatch(/each of "WEBHOOK_SECRET_KEYS_PREVIOUS" must be 32 bytes/);
    expect(loadWebhookConfig({ WEBHOOK_SECRET_KEYS_PREVIOUS: ` ${key} ` }).webhooks.previousSecretKeys).toEqual([key]);
  });

  it('reads an empty list (compose passes `VAR=` for an unset one) as none', () => {
    expect(loadWebhookConfig({ WEBHOOK_SECRET_KEYS_PREVIOUS: '' }).webhooks.previousSecretKeys).toEqual([]);
    expect(loadWebhookConfig({ WEBHOOK_ALLOWED_CIDRS: '', WEBHOOK_DNS_SERVERS: '' }).webhooks).toMatchObject({ allowedCidrs: [], dnsServers: [] });
  });
});
