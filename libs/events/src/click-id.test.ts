import { randomUUID } from 'node:crypto';
import { LinkClickIds, clickIdKey, verifyClickId, type ClickIdVersion } from './click-id';

const key = clickIdKey('test-internal-secret-0123456789');
const workspaceId = randomUUID();
const linkId = randomUUID();

describe('signed click ids', () => {
  it('are issued as version 2: 44 URL-safe characters', () => {
    const id = LinkClickIds.create(key, workspaceId, linkId)!.issue();
    expect(id).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(Buffer.from(id, 'base64url')[0]).toBe(2);
  });

  // Version 1 ids were issued before the upgrade to version 2: they must keep verifying.
  describe.each([
    [2, 44],
    [1, 60],
  ] as [ClickIdVersion, number][])('version %i (%i characters)', (version, length) => {
    const issuer = LinkClickIds.create(key, workspaceId, linkId, version)!;

    it('verify to their link for their workspace only', () => {
      const id = issuer.issue();
      expect(id).toHaveLength(length);
      expect(verifyClickId(key, id, workspaceId)).toEqual({ linkId });
      expect(verifyClickId(key, id, workspaceId.toUpperCase())).toEqual({ linkId });
      expect(verifyClickId(key, id, randomUUID())).toBeNull();
      expect(verifyClickId(clickIdKey('another-internal-secret-012345'), id, workspaceId)).toBeNull();
    });

    it('refuse any altered character, and ids that were never signed', () => {
      const id = issuer.issue();
      for (let i = 0; i < id.length; i++) {
        const altered = id.slice(0, i) + (id[i] === 'A' ? 'B' : 'A') + id.slice(i + 1);
        expect(verifyClickId(key, altered, workspaceId)).toBeNull();
      }
      for (const unsigned of ['V1StGXR8_Z5jdHi6B-myT', '', 'x'.repeat(length), `${id}=`, id.slice(1), `${id.slice(1)}!`]) {
        expect(verifyClickId(key, unsigned, workspaceId)).toBeNull();
      }
    });

    it('refuse the other version number written into them', () => {
      const id = Buffer.from(issuer.issue(), 'base64url');
      id[0] = version === 1 ? 2 : 1;
      expect(verifyClickId(key, id.toString('base64url'), workspaceId)).toBeNull();
    });

    it('never repeat, and every id of every batch verifies', () => {
      const ids = Array.from({ length: 20_000 }, () => issuer.issue());
      expect(new Set(ids).size).toBe(20_000);
      expect(ids.filter((id) => verifyClickId(key, id, workspaceId)?.linkId !== linkId)).toEqual([]);
    });

    it('are tagged per link: another link of the same workspace has other tags', () => {
      const id = LinkClickIds.create(key, workspaceId, randomUUID(), version)!.issue();
      // The same nonce and tag under this link's id do not verify.
      const swapped = Buffer.from(id, 'base64url');
      Buffer.from(linkId.replace(/-/g, ''), 'hex').copy(swapped, 1);
      expect(verifyClickId(key, swapped.toString('base64url'), workspaceId)).toBeNull();
    });
  });

  it('are not issued for ids that are not UUIDs', () => {
    expect(LinkClickIds.create(key, 'ws-1', linkId)).toBeNull();
    expect(LinkClickIds.create(key, workspaceId, 'link-1')).toBeNull();
  });
});
