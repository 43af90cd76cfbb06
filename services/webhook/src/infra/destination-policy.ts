import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a webhook must not reach unless the deployment allows them: a receiver URL is
 * chosen by an API user, and these would let them probe Hop's own network (SSRF).
 */
const FORBIDDEN: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['64:ff9b::', 96, 'ipv6', 'NAT64'],
  ['fc00::', 7, 'ipv6', 'private (unique local)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fd00:ec2::254', 128, 'ipv6', 'cloud metadata'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

/** "127.0.0.0/8" or "::1/128" (a bare address is a /32 or /128). */
export function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address, bits] = cidr.trim().split('/');
  const version = isIP(address ?? '');
  if (!version) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is checked as the IPv4 address it carries. */
const unmapped = (address: string) => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
};

/** Decides which resolved addresses a delivery may connect to. */
export class DestinationPolicy {
  private readonly allowed = new BlockList();
  private readonly forbidden: { list: BlockList; reason: string }[];

  /** `allowedCidrs`: ranges the deployment allows although they are forbidden by default (e.g. 127.0.0.0/8 in development). */
  constructor(allowedCidrs: readonly string[]) {
    for (const cidr of allowedCidrs) {
      const parsed = parseCidr(cidr);
      if (!parsed) throw new Error(`not an address range: ${cidr}`);
      this.allowed.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
    this.forbidden = FORBIDDEN.map(([address, prefix, family, reason]) => {
      const list = new BlockList();
      list.addSubnet(address, prefix, family);
      return { list, reason };
    });
  }

  /** Why `address` is refused (e.g. "loopback"), or null when a delivery may connect to it. */
  refusal(rawAddress: string): string | null {
    const address = unmapped(rawAddress);
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(address)) return 'not an IP address';
    if (this.allowed.check(address, family)) return null;
    return this.forbidden.find((f) => f.list.check(address, family))?.reason ?? null;
  }
}
