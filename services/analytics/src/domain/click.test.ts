import { enrichClick, normalizeUtm } from './click';
import { countryName } from './country';
import { describeUserAgent } from './user-agent';

describe('enrichment', () => {
  it('names the browser, OS and device of a user agent; desktops have no device type in ua-parser-js', () => {
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36')).toEqual({
      browserName: 'Chrome',
      browserVersion: '120.0.0.0',
      osName: 'Windows',
      osVersion: '10',
      deviceType: 'desktop',
    });
    expect(describeUserAgent('Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1').deviceType).toBe('tablet');
    expect(describeUserAgent(null)).toEqual({ browserName: null, browserVersion: null, osName: null, osVersion: null, deviceType: 'desktop' });
  });

  it('names countries from their ISO code', () => {
    expect(countryName('US')).toBe('United States');
    expect(countryName('de')).toBe('Germany');
    expect(countryName('ZZ')).toBeNull();
    expect(countryName('USA')).toBeNull();
    expect(countryName(null)).toBeNull();
  });

  it('shows UTM keys as the docs do, dropping empty ones', () => {
    expect(normalizeUtm({ utm_source: 'google', medium: 'cpc', utm_term: '', content: null })).toEqual({ source: 'google', medium: 'cpc' });
    expect(normalizeUtm({ utm_term: '' })).toBeNull();
    expect(normalizeUtm(null)).toBeNull();
  });

  it("lets the visitor's utm parameters win over the link's, as in the destination URL", () => {
    const c = enrichClick('w', {
      clickId: 'c', linkId: 'l', shortId: 's', qr: false, bot: false, trigger: 'link', timestamp: '2024-01-01T00:00:00Z',
      utm: { source: 'newsletter', medium: 'email' },
      requestUtm: { source: 'twitter', campaign: 'launch' },
    });
    expect(c.utm).toEqual({ source: 'twitter', medium: 'email', campaign: 'launch' });
  });

  it('turns empty strings into nulls and keeps the bot flag', () => {
    const c = enrichClick('w', { clickId: 'c', linkId: 'l', shortId: 's', referrer: '', city: '', country: 'fr', qr: false, bot: true, trigger: 'embed', timestamp: '2024-01-01T00:00:00Z' });
    expect(c).toMatchObject({ referrer: null, city: null, countryCode: 'FR', country: 'France', bot: true, trigger: 'embed', partnerId: null });
    expect(c.createdAt.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });
});
