import type http from 'node:http';

/** The hostname of an absolute http(s) URL, lower case without a trailing dot; null when it is not one. */
export function httpHostname(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return parsed.hostname.toLowerCase().replace(/\.$/, '') || null;
  } catch {
    return null;
  }
}

/** The requesting page's hostname from Origin (sent on CORS requests) or else Referer. */
export function requestingPageHost(req: http.IncomingMessage): string | null {
  const origin = req.headers.origin;
  return httpHostname(origin && origin !== 'null' ? origin : req.headers.referer);
}

const withoutWww = (host: string) => (host.startsWith('www.') ? host.slice(4) : host);

/** A page may embed a link's script when it is on the destination's hostname or its www. variant. */
export function hostMatchesDestination(pageHost: string, destinationUrl: string): boolean {
  const destinationHost = httpHostname(destinationUrl);
  return destinationHost !== null && withoutWww(pageHost) === withoutWww(destinationHost);
}
