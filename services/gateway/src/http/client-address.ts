import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyAddr from 'proxy-addr';

/** The client's address of a request, as the brute-force guard counts it. */
export type ClientAddress = (req: http.IncomingMessage) => string;

type Trust = (address: string, hop: number) => boolean;

/** TRUST_PROXY's values as express's "trust proxy" setting takes them: true, a hop count, or a list of addresses/subnets. */
function compileTrust(trust: boolean | number | string): Trust {
  if (trust === true) return () => true;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  if (trust === false || trust === '') return () => false;
  return proxyAddr.compile(trust.split(',').map((entry) => entry.trim()));
}

/** Reads the client's address the way express's "trust proxy" setting does, for the bare node:http path. */
export function clientAddressReader(trust: boolean | number | string): ClientAddress {
  const trusted = compileTrust(trust);
  return (req) => proxyAddr(req, trusted) ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * Whether the client reached Hop over https: the connection itself, or, from a trusted proxy
 * (TRUST_PROXY), the first X-Forwarded-Proto value.
 */
export function httpsReader(trust: boolean | number | string): (req: http.IncomingMessage) => boolean {
  const trusted = compileTrust(trust);
  return (req) => {
    if ((req.socket as TLSSocket).encrypted) return true;
    const forwarded = req.headers['x-forwarded-proto'];
    if (typeof forwarded !== 'string' || !trusted(req.socket.remoteAddress ?? '', 0)) return false;
    return forwarded.split(',')[0].trim().toLowerCase() === 'https';
  };
}
