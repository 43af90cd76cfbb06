import { metrics, registry } from './index';

describe('metrics', () => {
  it('returns the same metric for the same name, so modules can declare it independently', async () => {
    const a = metrics.counter('hop_test_total', 'test counter');
    const b = metrics.counter('hop_test_total', 'test counter');
    expect(a).toBe(b);
    a.inc(2);
    expect(await registry.metrics()).toMatch(/hop_test_total 2/);
  });
});
