import { linkBaseUrl, type Link } from '../domain/link';
import { shortUrlOf } from '../domain/short-urls';
import type { LinkDeps } from './ports';

/** QR codes (PNG data URLs) of the links' short URLs, in the links' order; `?qr=1` counts a scan as such. */
export function linkQrCodes(deps: Pick<LinkDeps, 'qrCodes' | 'bases'>, links: Link[]): Promise<string[]> {
  return deps.qrCodes.dataUrls(links.map((link) => `${shortUrlOf(linkBaseUrl(link, deps.bases), link.shortId)}?qr=1`));
}
