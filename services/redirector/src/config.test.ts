import { loadRedirectorConfig } from './config';

const PRODUCTION = {
  NODE_ENV: 'production',
  INTERNAL_SECRET: 'production-internal-secret-0123456789',
  CAPTURE_SECRET: 'production-capture-secret-0123456789',
  IP_HASH_SECRET: 'production-ip-hash-secret-0123456789',
};

describe('redirector config: the click event check', () => {
  it('checks every click outside production, the first of each batch in production', () => {
    expect(loadRedirectorConfig({}).clicks.eventCheck).toBe('every');
    expect(loadRedirectorConfig(PRODUCTION).clicks.eventCheck).toBe('first-of-batch');
  });

  it('takes CLICK_EVENT_CHECK, and refuses a value it does not know', () => {
    expect(loadRedirectorConfig({ ...PRODUCTION, CLICK_EVENT_CHECK: 'every' }).clicks.eventCheck).toBe('every');
    expect(() => loadRedirectorConfig({ CLICK_EVENT_CHECK: 'sometimes' })).toThrow(/CLICK_EVENT_CHECK/);
  });
});
