import type http from 'node:http';
import { originReader, readSessionCookie, sessionCookie } from './session-cookie';

const token = 'A'.repeat(43);
const request = (headers: http.IncomingHttpHeaders) => ({ headers }) as http.IncomingMessage;

describe('readSessionCookie', () => {
  it.each([
    [`hop_session=${token}`, token],
    [`theme=dark; hop_session=${token}; other=1`, token],
    [`hop_session=short`, null],
    [`xhop_session=${token}`, null],
    [undefined, null],
  ])('%s → %s', (header, expected) => {
    expect(readSessionCookie(header)).toBe(expected);
  });
});

describe('sessionCookie', () => {
  const req = request({});
  it.each([
    ['auto', false, ''],
    ['auto', true, '; Secure'],
    ['always', false, '; Secure'],
    ['never', true, ''],
  ] as const)('%s over https=%s', (security, https, secure) => {
    expect(sessionCookie({ security, isHttps: () => https }, req, token, 60)).toBe(`hop_session=${token}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax${secure}`);
  });
});

describe('originReader', () => {
  it('accepts no Origin or the request’s own, refuses others', () => {
    const allowed = originReader(null, () => false);
    expect(allowed(request({ host: 'hop.local:8080' }))).toBe(true);
    expect(allowed(request({ host: 'hop.local:8080', origin: 'http://hop.local:8080' }))).toBe(true);
    expect(allowed(request({ host: 'hop.local:8080', origin: 'https://hop.local:8080' }))).toBe(false);
    expect(allowed(request({ host: 'hop.local:8080', origin: 'null' }))).toBe(false);
    expect(allowed(request({ host: 'hop.local:8080', origin: 'http://evil.example' }))).toBe(false);
  });
  it('with PUBLIC_URL, only its origin', () => {
    const allowed = originReader('https://links.acme.example', () => false);
    expect(allowed(request({ host: 'internal:8080', origin: 'https://links.acme.example' }))).toBe(true);
    expect(allowed(request({ host: 'internal:8080', origin: 'http://internal:8080' }))).toBe(false);
  });
});
