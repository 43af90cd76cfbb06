import type http from 'node:http';
import { hostMatchesDestination, httpHostname, requestingPageHost } from './page-host';

const request = (headers: http.IncomingHttpHeaders) => ({ headers }) as http.IncomingMessage;

describe('page host verification', () => {
  it('reads the hostname of http(s) URLs only', () => {
    expect(httpHostname('https://Shop.Example.:8443/a?b')).toBe('shop.example');
    expect(httpHostname('ftp://shop.example/')).toBeNull();
    expect(httpHostname('not a url')).toBeNull();
    expect(httpHostname(undefined)).toBeNull();
  });

  it('prefers Origin, falls back to Referer, and has no host without either', () => {
    expect(requestingPageHost(request({ origin: 'https://a.example', referer: 'https://b.example/x' }))).toBe('a.example');
    expect(requestingPageHost(request({ origin: 'null', referer: 'https://b.example/x' }))).toBe('b.example');
    expect(requestingPageHost(request({ referer: 'https://b.example/x' }))).toBe('b.example');
    expect(requestingPageHost(request({}))).toBeNull();
  });

  it.each([
    ['example.com', 'https://example.com/pricing', true],
    ['www.example.com', 'https://example.com/pricing', true],
    ['example.com', 'https://www.example.com/pricing', true],
    ['www.example.com', 'https://www.example.com/', true],
    ['shop.example.com', 'https://example.com/', false],
    ['example.com.evil.test', 'https://example.com/', false],
    ['evil-example.com', 'https://example.com/', false],
    ['example.com', 'not a url', false],
  ])('%s on a link to %s → %s', (pageHost, destination, expected) => {
    expect(hostMatchesDestination(pageHost, destination)).toBe(expected);
  });
});
