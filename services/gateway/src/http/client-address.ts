import type http from 'node:http';
import proxyAddr from 'proxy-addr';

/** The client's address of a request, as the brute-force guard counts it. */
export type ClientAddress = (req: http.IncomingMessage) => string;

/**
 * Reads the client's address the way express's "trust proxy" setting does (TRUST_PROXY takes the
 * same values: true, a hop count, or a list of addresses/subnets), for the bare node:http path.
 */
export function clientAddressReader(trust: boolean | number | string): ClientAddress {
  const trusted: (address: string, hop: number) => boolean =
    trust === true
      ? () => true
      : typeof trust === 'number'
        ? (_address, hop) => hop < trust
        : trust === false || trust === ''
          ? () => false
          : proxyAddr.compile(trust.split(',').map((entry) => entry.trim()));
  return (req) => proxyAddr(req, trusted) ?? req.socket.remoteAddress ?? 'unknown';
}
