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

  it('access context: 12 h idle and 7 day sessions, automatic Secure, 72 h invitations, audit consumer on', () => {
    const config = loadGatewayConfig({});
    expect(config.access).toEqual({ sessionIdleSeconds: 43_200, sessionMaxAgeSeconds: 604_800, invitationTtlSeconds: 259_200 });
    expect(config.cookieSecurity).toBe('auto');
    expect(config.publicOrigin).toBeNull();
    expect(config.loginThrottle).toEqual({ perAccount: 5, perAddress: 50, windowSeconds: 900 });
    expect(config.auditEventsConsumer).toBe(true);
  });

  it('PUBLIC_URL gives the allowed origin and the base of invitation links', () => {
    const config = loadGatewayConfig({ PUBLIC_URL: 'https://links.acme.example/hop/' });
    expect(config.publicOrigin).toBe('https://links.acme.example');
    expect(config.publicUrl).toBe('https://links.acme.example/hop');
    expect(() => loadGatewayConfig({ PUBLIC_URL: 'ftp://x' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ COOKIE_SECURE: 'sometimes' })).toThrow(ConfigError);
  });
});
