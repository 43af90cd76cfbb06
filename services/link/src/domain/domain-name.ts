import { domainToASCII } from 'node:url';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export type DomainNameCheck = { name: string } | { problem: string };

/**
 * A branded domain's name as Hop stores it: a bare hostname, lower-case ASCII (IDN → punycode,
 * e.g. "bücher.example" → "xn--bcher-kva.example"), without a trailing dot. Refused: a scheme,
 * path, port, user info, IP literal, a single label ("localhost"), and the deployment's own hosts.
 */
export function normalizeDomainName(input: string, ownHosts: readonly string[]): DomainNameCheck {
  const raw = input.trim().toLowerCase();
  if (raw.includes('://')) return { problem: 'must be a hostname without a scheme, e.g. go.example.com' };
  if (/[/?#\\]/.test(raw)) return { problem: 'must be a hostname without a path or query' };
  if (raw.includes('@')) return { problem: 'must be a hostname without user info' };
  if (raw.startsWith('[') || (raw.match(/:/g)?.length ?? 0) > 1) return { problem: 'must be a hostname, not an IP address' };
  if (raw.includes(':')) return { problem: 'must be a hostname without a port' };
  const ascii = domainToASCII(raw.replace(/\.$/, ''));
  if (!ascii) return { problem: 'is not a valid hostname' };
  // After domainToASCII: WHATWG rewrites numeric forms such as "0x7f.1" to dotted IPv4.
  if (IPV4.test(ascii)) return { problem: 'must be a hostname, not an IP address' };
  const labels = ascii.split('.');
  if (labels.length < 2) return { problem: 'must be a fully qualified hostname, e.g. go.example.com' };
  if (ascii.length > 253 || !labels.every((label) => LABEL.test(label)) || /^\d+$/.test(labels[labels.length - 1])) {
    return { problem: 'is not a valid hostname' };
  }
  if (ownHosts.includes(ascii)) return { problem: "is this deployment's own host" };
  return { name: ascii };
}

/** The hostname (no port) of a URL, lower-case ASCII. */
export const hostnameOf = (url: string) => new URL(url).hostname.toLowerCase();

/**
 * A host as a client names a link's domain: lower-case, IDN → ASCII, port kept (the default
 * domain may have one, e.g. localhost:8081); '' when it is no hostname at all.
 */
export function asciiHost(input: string): string {
  const match = /^([^:]+)(:\d{1,5})?$/.exec(input.trim().toLowerCase().replace(/\.$/, ''));
  if (!match) return '';
  const ascii = domainToASCII(match[1]);
  return ascii ? `${ascii}${match[2] ?? ''}` : '';
}

/** Whether `host` (as asciiHost returns it) names the deployment's default domain. */
export const isDefaultHost = (host: string, shortBaseUrl: string) => {
  const base = new URL(shortBaseUrl);
  return host === base.host || host === base.hostname;
};
