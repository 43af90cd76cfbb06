/**
 * True for an absolute http(s) URL with a host and no whitespace: what a link may redirect to.
 * Rejects javascript:, data:, relative and scheme-relative URLs.
 */
export function isAbsoluteHttpUrl(value: string): boolean {
  if (!/^https?:\/\/\S+$/i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}
