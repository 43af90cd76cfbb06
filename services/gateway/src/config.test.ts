import { ConfigError } from '@hop/config';
import { loadGatewayConfig } from './config';

describe('loadGatewayConfig', () => {
  it('has working defaults: upstreams on 4001–4005, a 25 MB body limit', () => {
    const config = loadGatewayConfig({});
    expect(config.server.port).toBe(8080);
    expect(config.upstreams).toEqual({
      link: 'http://127.0.0.1:4001',
      catalog: 'http://127.0.0.1:4002',
      partner: 'http://127.0.0.1:4003',
      analytics: 'http://127.0.0.1:4004',
      conversion: 'http://127.0.0.1:4005',
      webhook: 'http://127.0.0.1:4006',
    });
    expect(config.bodyLimitBytes).toBe(25 * 1024 * 1024);
  });

  it('reads sizes and URLs', () => {
    const config = loadGatewayConfig({ BODY_LIMIT: '64kb', LINK_URL: 'http://link:4001', UPSTREAM_TIMEOUT_MS: '250' });
    expect(config.bodyLimitBytes).toBe(64 * 1024);
    expect(config.upstreams.link).toBe('http://link:4001');
    expect(config.upstreamTimeoutMs).toBe(250);
  });

  it('lists every bad variable at once', () => {
    expect(() => loadGatewayConfig({ BODY_LIMIT: 'huge', ADMIN_TOKEN: 'short', CATALOG_URL: 'ftp://x' })).toThrow(ConfigError);
    try {
      loadGatewayConfig({ BODY_LIMIT: 'huge', ADMIN_TOKEN: 'short', CATALOG_URL: 'ftp://x' });
    } catch (err) {
      expect((err as ConfigError).problems).toHaveLength(3);
    }
  });
});
