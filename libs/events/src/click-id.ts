import { createHmac, randomFillSync, timingSafeEqual } from 'node:crypto';

/**
 * Self-verifying click ids (the `hoko_id` a redirect appends): the conversion service can trust a
 * click the moment its redirect was answered, before the redirector's recent-click record or
 * analytics know it. 45 bytes written as 60 base64url characters (clicks.v1 allows 64):
 *
 *   [0] version 1 │ [1..16] link id (UUID bytes) │ [17..28] 12 random bytes │ [29..44] tag
 *
 * tag = the first 16 bytes of HMAC-SHA256(key, bytes 0..28 ‖ workspace id bytes). The workspace
 * is bound by the tag without being written in the id: only that workspace's caller verifies it.
 * key = HMAC-SHA256(INTERNAL_SECRET, "hop click id v1"), so every service sharing the internal
 * secret shares it and nothing new needs configuring.
 */
const VERSION = 1;
const UUID_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEAD_BYTES = 1 + UUID_BYTES + NONCE_BYTES;
const ID_BYTES = HEAD_BYTES + TAG_BYTES;
const SIGNED_ID = /^[A-Za-z0-9_-]{60}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const clickIdKey = (internalSecret: string): Buffer => createHmac('sha256', internalSecret).update('hop click id v1').digest();

/** What a signed click id is about: its link and workspace as UUID bytes (link ‖ workspace). */
export type ClickIdSubject = Buffer;

/** The subject of clicks on `linkId` of `workspaceId`, or null when either is not a UUID (such clicks get unsigned ids). */
export function clickIdSubject(workspaceId: string, linkId: string): ClickIdSubject | null {
  if (!UUID.test(workspaceId) || !UUID.test(linkId)) return null;
  return Buffer.from(`${linkId}${workspaceId}`.replace(/-/g, ''), 'hex');
}

/** Issues signed click ids; one per process (it keeps a pool of random bytes for the nonces). */
export class ClickIdIssuer {
  private readonly nonces = Buffer.allocUnsafe(NONCE_BYTES * 512);
  private used = this.nonces.length;
  /** Head, then the workspace id while the tag is computed (the tag overwrites it). */
  private readonly scratch = Buffer.allocUnsafe(HEAD_BYTES + UUID_BYTES);

  constructor(private readonly key: Buffer) {}

  issue(subject: ClickIdSubject): string {
    if (this.used === this.nonces.length) {
      randomFillSync(this.nonces);
      this.used = 0;
    }
    const id = this.scratch;
    id[0] = VERSION;
    subject.copy(id, 1, 0, UUID_BYTES);
    this.nonces.copy(id, 1 + UUID_BYTES, this.used, (this.used += NONCE_BYTES));
    subject.copy(id, HEAD_BYTES, UUID_BYTES);
    createHmac('sha256', this.key).update(id).digest().copy(id, HEAD_BYTES, 0, TAG_BYTES);
    return id.toString('base64url', 0, ID_BYTES);
  }
}

/** The link of a click id this key signed for `workspaceId`, or null (unsigned, forged, or another workspace's). */
export function verifyClickId(key: Buffer, clickId: string, workspaceId: string): { linkId: string } | null {
  if (!SIGNED_ID.test(clickId) || !UUID.test(workspaceId)) return null;
  const id = Buffer.from(clickId, 'base64url');
  if (id.length !== ID_BYTES || id[0] !== VERSION) return null;
  const signed = Buffer.concat([id.subarray(0, HEAD_BYTES), Buffer.from(workspaceId.replace(/-/g, ''), 'hex')]);
  const tag = createHmac('sha256', key).update(signed).digest().subarray(0, TAG_BYTES);
  if (!timingSafeEqual(tag, id.subarray(HEAD_BYTES))) return null;
  const hex = id.toString('hex', 1, 1 + UUID_BYTES);
  return { linkId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
}
