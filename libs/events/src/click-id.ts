import { createCipheriv, createHmac, randomFillSync, timingSafeEqual, type Cipher } from 'node:crypto';

/**
 * Self-verifying click ids (the `hoko_id` a redirect appends): the conversion service can trust a
 * click the moment its redirect was answered, before the redirector's recent-click record or
 * analytics know it. 45 bytes written as 60 base64url characters (clicks.v1 allows 64):
 *
 *   [0] version 1 │ [1..16] link id (UUID bytes) │ [17..28] 12 random bytes │ [29..44] tag
 *
 * tag = AES-128(link key, version ‖ random bytes ‖ 0 0 0), link key = the first 16 bytes of
 * HMAC-SHA256(key, link id ‖ workspace id) and key = HMAC-SHA256(INTERNAL_SECRET, "hop click id
 * v1"): every service sharing the internal secret shares it. The workspace is bound by the link
 * key without being written in the id, so only that workspace's caller verifies it. One AES block
 * per id is a PRF on distinct inputs (a MAC of fixed length); it lets the redirector tag a batch of
 * ids in one call, off the cost of its redirects.
 */
const VERSION = 1;
const UUID_BYTES = 16;
const NONCE_BYTES = 12;
const BLOCK_BYTES = 16;
const NONCE_AT = 1 + UUID_BYTES;
const TAG_AT = NONCE_AT + NONCE_BYTES;
const ID_BYTES = TAG_AT + BLOCK_BYTES;
const SIGNED_ID = /^[A-Za-z0-9_-]{60}$/;
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
function writeBlock(blocks: Buffer, at: number, nonce: Buffer, nonceAt: number): void {
  blocks[at] = VERSION;
  nonce.copy(blocks, at + 1, nonceAt, nonceAt + NONCE_BYTES);
  blocks.fill(0, at + 1 + NONCE_BYTES, at + BLOCK_BYTES);
}

/** Issues the signed click ids of one link of one workspace, tagging them in batches. */
export class LinkClickIds {
  private readonly cipher: Cipher;
  private readonly linkId: Buffer;
  private ids = Buffer.alloc(0);
  private next = 0;
  private batch = FIRST_BATCH;

  /** Null when either id is not a UUID (such links' clicks get unsigned ids). */
  static create(key: Buffer, workspaceId: string, linkId: string): LinkClickIds | null {
    return UUID.test(workspaceId) && UUID.test(linkId) ? new LinkClickIds(key, uuidBytes(workspaceId), uuidBytes(linkId)) : null;
  }

  private constructor(key: Buffer, workspaceId: Buffer, linkId: Buffer) {
    this.linkId = linkId;
    this.cipher = linkCipher(key, linkId, workspaceId);
  }

  issue(): string {
    if (this.next === this.ids.length) this.refill();
    const at = this.next;
    this.next += ID_BYTES;
    return this.ids.toString('base64url', at, at + ID_BYTES);
  }

  private refill(): void {
    const count = this.batch;
    this.batch = Math.min(MAX_BATCH, count * 2);
    const nonces = randomFillSync(Buffer.allocUnsafe(count * NONCE_BYTES));
    const blocks = Buffer.allocUnsafe(count * BLOCK_BYTES);
    for (let i = 0; i < count; i++) writeBlock(blocks, i * BLOCK_BYTES, nonces, i * NONCE_BYTES);
    // ECB without padding: every block is encrypted on its own and update() returns them all.
    const tags = this.cipher.update(blocks);
    const ids = Buffer.allocUnsafe(count * ID_BYTES);
    for (let i = 0; i < count; i++) {
      const at = i * ID_BYTES;
      ids[at] = VERSION;
      this.linkId.copy(ids, at + 1);
      nonces.copy(ids, at + NONCE_AT, i * NONCE_BYTES, (i + 1) * NONCE_BYTES);
      tags.copy(ids, at + TAG_AT, i * BLOCK_BYTES, (i + 1) * BLOCK_BYTES);
    }
    this.ids = ids;
    this.next = 0;
  }
}

/** The link of a click id this key signed for `workspaceId`, or null (unsigned, forged, or another workspace's). */
export function verifyClickId(key: Buffer, clickId: string, workspaceId: string): { linkId: string } | null {
  if (!SIGNED_ID.test(clickId) || !UUID.test(workspaceId)) return null;
  const id = Buffer.from(clickId, 'base64url');
  if (id.length !== ID_BYTES || id[0] !== VERSION) return null;
  const linkId = id.subarray(1, NONCE_AT);
  const block = Buffer.allocUnsafe(BLOCK_BYTES);
  writeBlock(block, 0, id, NONCE_AT);
  const tag = linkCipher(key, linkId, uuidBytes(workspaceId)).update(block);
  if (!timingSafeEqual(tag, id.subarray(TAG_AT))) return null;
  const hex = linkId.toString('hex');
  return { linkId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
}
