import { linkBaseUrl, linkHostOf, type Link, type ShortUrlBases } from './link';
import { shortUrlOf } from './short-urls';

/**
 * A link in Shortpen's list shape (GET /v1/links). Hop has no integer ids, pixels or
 * organizations: ids are Hop's UUIDs, folder_id is the collection, workspace_id the workspace
 * UUID, domain_id the branded domain's UUID (null on the default domain), and
 * pixel_id/source_id/organization_id are null (services/link/README.md).
 */
export function toShortpenLink(link: Link, bases: ShortUrlBases, qr: string | null) {
  const shortUrl = shortUrlOf(linkBaseUrl(link, bases), link.shortId);
  return {
    id: link.id,
    url: link.url,
    link: shortUrl,
    short_url: shortUrl,
    starred: false,
    redirect_type: link.redirectType,
    domain_id: link.domainId,
    workspace_id: link.workspaceId,
    organization_id: null,
    link_cloak: link.cloaked,
    hide_referer: link.hideReferrer,
    with_password: link.passwordHash !== null,
    created_at: link.createdAt.toISOString(),
    updated_at: link.updatedAt.toISOString(),
    title: link.title,
    qr,
    folder_id: link.collectionId,
    pixel_id: null,
    source_id: null,
    params: link.params,
    social_share_title: link.socialTitle,
    social_share_description: link.socialDescription,
    social_share_image: link.socialImage,
  };
}

/** Hozip writes timestamps with microseconds: 2025-12-01T10:23:00.000000Z. */
const hozipTimestamp = (date: Date) => date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** A link in Hozip's list shape (GET /api/v1/external/links); group_id is the collection, domain the short URL's host. */
export function toHozipLink(link: Link, bases: ShortUrlBases) {
  return {
    id: link.id,
    short_code: link.shortId,
    long_url: link.url,
    domain: linkHostOf(link, bases),
    group_id: link.collectionId,
    is_active: link.active,
    created_at: hozipTimestamp(link.createdAt),
  };
}
