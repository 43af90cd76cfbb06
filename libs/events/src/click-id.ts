import { createCipheriv, createHmac, randomFillSync, timingSafeEqual, type Cipher } from 'node:crypto';

/**
 * Self-verifying click ids (the `hoko_id` a redirect appends): the conversion service can trust a
 * click the moment its redirect was answered, before the redirector's recent-click record or
 * analytics know it. Version 2, issued now: 33 bytes written as 44 base64url characters,
 *
 *   [0] version 2 │ [1..16] link id (UUID bytes) │ [17..24] 8 random bytes │ [25..32] tag
 *
 * Version 1 (45 bytes, 60 characters: 12 random bytes, 16-byte tag) is still verified: ids issued
 * before an upgrade keep attributing their leads and sales. Version 2 is shorter because every
 * byte of it is paid on every redirect (the Location header, the click handed to the worker that
 * batches clicks, the id's encoding); 64 bits of tag leave a forger one chance in 2^64 per guess,
 * and with 64 random bits the chance that any two of a link's first ten million ids are equal is
 * about 3 in a million (n² / 2^65).
 *
 * tag = AES-128(link key, version ‖ random bytes ‖ zeros), cut to the tag's length; link key = the
 * first 16 bytes of HMAC-SHA256(key, link id ‖ workspace id) and key = HMAC-SHA256(INTERNAL_SECRET,
 * "hop click id v1"): every service sharing the internal secret shares it. The workspace is bound
 * by the link key without being written in the id, so only that workspace's caller verifies it.
 * One AES block per id is a PRF on distinct inputs (a MAC of fixed length, which stays one when
 * truncated); it lets the redirector tag a batch of ids in one call, off the cost of its redirects.
 */
interface Layout {
  version: number;
  nonceBytes: number;
  tagBytes: number;
  /** Total bytes: version, link id, nonce, tag. */
  bytes: number;
  /** Its length in base64url characters. */
  chars: number;
}

const UUID_BYTES = 16;
const BLOCK_BYTES = 16;
const NONCE_AT = 1 + UUID_BYTES;

function layout(version: number, nonceBytes: number, tagBytes: number): Layout {
  const bytes = NONCE_AT + nonceBytes + tagBytes;
  // Both layouts are whole multiples of 3 bytes: base64url without padding or leftover bits.
  return { version, nonceBytes, tagBytes, bytes, chars: (bytes / 3) * 4 };
}

/** Every layout verified, by version; ISSUED_VERSION is the one issued. */
const CLICK_ID_LAYOUTS = { 1: layout(1, 12, 16), 2: layout(2, 8, 8) } as const;
const ISSUED_VERSION = 2;
export type ClickIdVersion = keyof typeof CLICK_ID_LAYOUTS;
const BY_LENGTH = new Map<number, Layout>(Object.values(CLICK_ID_LAYOUTS).map((l) => [l.chars, l]));
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids tagged per batch: few for a link seen once, up to this many for a busy one. */
const FIRST_BATCH = 4;
const MAX_BATCH = 128;

export const clickIdKey = (internalSecret: string): Buffer => createHmac('sha256', internalSecret).update('hop click id v1').digest();

const uuidBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex');

function linkCipher(key: Buffer, linkId: Buffer, workspaceId: Buffer): Cipher {
  const linkKey = createHmac('sha256', key).update(linkId).update(workspaceId).digest().subarray(0, 16);
  return createCipheriv('aes-128-ecb', linkKey, null).setAutoPadding(false);
}

/** The block a tag encrypts: version ‖ nonce ‖ zeros, written at `at` of `blocks`. */
function writeBlock(format: Layout, blocks: Buffer, at: number, nonce: Buffer, nonceAt: number): void {
  blocks[at] = format.version;
  nonce.copy(blocks, at + 1, nonceAt, nonceAt + format.nonceBytes);
  blocks.fill(0, at + 1 + format.nonceBytes, at + BLOCK_BYTES);
}

/** Issues the signed click ids of one link of one workspace, tagging them in batches. */
export class LinkClickIds {
  private readonly cipher: Cipher;
  private readonly linkId: Buffer;
  private ids = Buffer.alloc(0);
  private next = 0;
  private batch = FIRST_BATCH;

  /**
   * Null when either id is not a UUID (such links' clicks get unsigned ids). `version` is for tests
   * of ids issued by earlier releases.
   */
  static create(key: Buffer, workspaceId: string, linkId: string, version: ClickIdVersion = ISSUED_VERSION): LinkClickIds | null {
    return UUID.test(workspaceId) && UUID.test(linkId) ? new LinkClickIds(key, uuidBytes(workspaceId), uuidBytes(linkId), CLICK_ID_LAYOUTS[version]) : null;
  }

  private constructor(key: Buffer, workspaceId: Buffer, linkId: Buffer, private readonly format: Layout) {
    this.linkId = linkId;
    this.cipher = linkCipher(key, linkId, workspaceId);
  }

  issue(): string {
    if (this.next === this.ids.length) this.refill();
    const at = this.next;
    this.next += this.format.bytes;
    return this.ids.toString('base64url', at, this.next);
  }

  private refill(): void {
    const { format } = this;
    const { nonceBytes, tagBytes, bytes } = format;
    const count = this.batch;
    this.batch = Math.min(MAX_BATCH, count * 2);
    const nonces = randomFillSync(Buffer.allocUnsafe(count * nonceBytes));
    const blocks = Buffer.allocUnsafe(count * BLOCK_BYTES);
    for (let i = 0; i < count; i++) writeBlock(format, blocks, i * BLOCK_BYTES, nonces, i * nonceBytes);
    // ECB without padding: every block is encrypted on its own and update() returns them all.
    const tags = this.cipher.update(blocks);
    const ids = Buffer.allocUnsafe(count * bytes);
    for (let i = 0; i < count; i++) {
      const at = i * bytes;
      ids[at] = format.version;
      this.linkId.copy(ids, at + 1);
      nonces.copy(ids, at + NONCE_AT, i * nonceBytes, (i + 1) * nonceBytes);
      tags.copy(ids, at + NONCE_AT + nonceBytes, i * BLOCK_BYTES, i * BLOCK_BYTES + tagBytes);
    }
    this.ids = ids;
    this.next = 0;
  }
}

/** The link of a click id this key signed for `workspaceId`, or null (unsigned, forged, or another workspace's). */
export function verifyClickId(key: Buffer, clickId: string, workspaceId: string): { linkId: string } | null {
  const format = BY_LENGTH.get(clickId.length);
  if (!format || !BASE64URL.test(clickId) || !UUID.test(workspaceId)) return null;
  const id = Buffer.from(clickId, 'base64url');
  if (id.length !== format.bytes || id[0] !== format.version) return null;
  const linkId = id.subarray(1, NONCE_AT);
  const block = Buffer.allocUnsafe(BLOCK_BYTES);
  writeBlock(format, block, 0, id, NONCE_AT);
  const tag = linkCipher(key, linkId, uuidBytes(workspaceId)).update(block).subarray(0, format.tagBytes);
  if (!timingSafeEqual(tag, id.subarray(NONCE_AT + format.nonceBytes))) return null;
  const hex = linkId.toString('hex');
  return { linkId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
}
