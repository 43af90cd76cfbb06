import { Socket } from 'node:net';
import http from 'node:http';
import { clientAddressReader } from './client-address';

function request(remoteAddress: string, forwardedFor?: string): http.IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: remoteAddress });
  const req = new http.IncomingMessage(socket);
  if (forwardedFor) req.headers['x-forwarded-for'] = forwardedFor;
  return req;
}

describe('clientAddressReader (express "trust proxy" semantics)', () => {
  it('ignores X-Forwarded-For unless proxies are trusted', () => {
    expect(clientAddressReader(false)(request('10.0.0.1', '203.0.113.9'))).toBe('10.0.0.1');
  });

  it('takes the furthest address when every proxy is trusted', () => {
    expect(clientAddressReader(true)(request('10.0.0.1', '203.0.113.9, 10.0.0.2'))).toBe('203.0.113.9');
  });

  it('trusts as many hops as the number says', () => {
    expect(clientAddressReader(1)(request('10.0.0.1', '203.0.113.9, 198.51.100.7'))).toBe('198.51.100.7');
  });

  it('trusts only the listed subnets', () => {
    const read = clientAddressReader('loopback, 10.0.0.0/8');
    expect(read(request('10.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
    expect(read(request('192.0.2.1', '203.0.113.9'))).toBe('192.0.2.1');
  });
});
