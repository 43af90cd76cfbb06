import { Resolver } from 'node:dns/promises';
import type { TxtLookup as TxtLookupPort } from '../app/ports';

/** Answers meaning "the name has no such records", as opposed to a failed lookup. */
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

/** TXT lookups through the configured DNS servers (DNS_SERVERS; empty: the system's). */
export class TxtLookup implements TxtLookupPort {
  private readonly resolver: Resolver;

  constructor(servers: readonly string[], timeoutMs: number) {
    this.resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
    if (servers.length) this.resolver.setServers([...servers]);
  }

  /** The name's TXT records (each a list of character strings); [] when it has none; null when DNS failed. */
  async records(name: string): Promise<string[][] | null> {
    try {
      return await this.resolver.resolveTxt(name);
    } catch (err) {
      return NO_RECORDS.has((err as NodeJS.ErrnoException).code ?? '') ? [] : null;
    }
  }
}
