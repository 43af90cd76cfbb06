import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { DestinationPolicy } from './destination-policy';

/** A delivery refused because its destination is not allowed (never sent). */
export class DestinationRefused extends Error {
  readonly code = 'DESTINATION_REFUSED';
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Where webhooks may go. Checked when a subscription is written (its URL) and again for every
 * connection a delivery opens: the connection's DNS lookup goes through `lookup`, which refuses
 * forbidden addresses and hands the socket exactly the address it checked, so a name that
 * re-resolves elsewhere (DNS rebinding) cannot slip past. IP-literal URLs are checked per delivery
 * (`refusalOf`), since sockets do not look them up.
 */
export class DestinationGuard {
  private readonly resolver?: dns.promises.Resolver;

  /** `dnsServers` ("host:port"): ask these instead of the system resolver (no /etc/hosts then). */
  constructor(
    private readonly policy: DestinationPolicy,
    private readonly allowHttp: boolean,
    dnsServers: readonly string[] = [],
  ) {
    if (dnsServers.length) {
      this.resolver = new dns.promises.Resolver({ timeout: 2_000, tries: 2 });
      this.resolver.setServers([...dnsServers]);
    }
  }

  /** Why `url` may not receive webhooks, in words for the API user; null when it may. */
  async refusalOf(rawUrl: string): Promise<string | null> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return 'must be an absolute URL';
    }
    if (url.protocol !== 'https:' && !(this.allowHttp && url.protocol === 'http:')) {
      return this.allowHttp ? 'must be an http or https URL' : 'must be an https URL';
    }
    if (url.username || url.password) return 'must not carry credentials';
    const host = hostOf(url);
    let addresses: dns.LookupAddress[];
    try {
      addresses = await this.resolve(host);
    } catch {
      return `${host} does not resolve to an address`;
    }
    return this.refusalOfAddresses(host, addresses);
  }

  /** The refusal for an IP-literal URL (names are checked at connect time); null otherwise. */
  literalRefusal(url: URL): string | null {
    const host = hostOf(url);
    return isIP(host) ? this.refusalOfAddresses(host, [{ address: host, family: isIP(host) }]) : null;
  }

  /** A socket `lookup` that resolves, refuses forbidden addresses and pins the checked ones. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (addresses) => {
        const refusal = this.refusalOfAddresses(hostname, addresses);
        if (refusal) return callback(new DestinationRefused(refusal), '', 0);
        if (options.all) return callback(null, addresses);
        const [first] = addresses;
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };

  private async resolve(host: string): Promise<dns.LookupAddress[]> {
    const family = isIP(host);
    if (family) return [{ address: host, family }];
    if (!this.resolver) return dns.promises.lookup(host, { all: true, verbatim: true });
    // A name may have only A or only AAAA records: a family without any is no error.
    const none = (err: NodeJS.ErrnoException): string[] => {
      if (err.code === dns.NODATA || err.code === dns.NOTFOUND) return [];
      throw err;
    };
    const [v4, v6] = await Promise.all([this.resolver.resolve4(host).catch(none), this.resolver.resolve6(host).catch(none)]);
    const addresses = [...v4.map((address) => ({ address, family: 4 })), ...v6.map((address) => ({ address, family: 6 }))];
    if (!addresses.length) throw Object.assign(new Error(`${host} has no address`), { code: dns.NOTFOUND });
    return addresses;
  }

  /** Any forbidden address refuses the whole name: an attacker controls which one a client picks. */
  private refusalOfAddresses(host: string, addresses: dns.LookupAddress[]): string | null {
    if (!addresses.length) return `${host} does not resolve to an address`;
    for (const { address } of addresses) {
      const reason = this.policy.refusal(address);
      if (reason) return `${host} resolves to ${address}, a ${reason} address, which this deployment does not allow`;
    }
    return null;
  }
}
