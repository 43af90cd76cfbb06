import { domainToASCII } from 'node:url';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** Distinct Host values remembered; beyond this the memo starts over (Host is client-controlled). */
const MEMO_MAX = 10_000;

/**
 * Which domain a request's Host header names: null for the deployment's default domain, else the
 * branded domain's name (lower-case, port stripped, IDN → ASCII; '' when it is no valid hostname).
 * The default domain answers to SHORT_BASE_URL's host, to single-label names (localhost, a
 * cluster-internal service name), to IP literals and to requests without Host: none of them can
 * be a branded domain. Results are memoised by the raw header, so the hot path pays one map lookup.
 */
export function createHostClassifier(defaultHosts: readonly string[]) {
  const defaults = new Set(defaultHosts.map((h) => h.toLowerCase()));
  const memo = new Map<string, string | null>();

  function classify(raw: string): string | null {
    const lower = raw.trim().toLowerCase();
    if (lower === '' || lower.startsWith('[')) return null;
    const hostname = lower.replace(/:\d*$/, '').replace(/\.$/, '');
    if (defaults.has(hostname) || !hostname.includes('.') || IPV4.test(hostname)) return null;
    return domainToASCII(hostname);
  }

  return (raw: string | undefined): string | null => {
    if (raw === undefined) return null;
    let domain = memo.get(raw);
    if (domain === undefined) {
      domain = classify(raw);
      if (memo.size >= MEMO_MAX) memo.clear();
      memo.set(raw, domain);
    }
    return domain;
  };
}

export type HostClassifier = ReturnType<typeof createHostClassifier>;
