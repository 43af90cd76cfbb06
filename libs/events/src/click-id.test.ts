import { randomUUID } from 'node:crypto';
import { ClickIdIssuer, clickIdKey, clickIdSubject, verifyClickId } from './click-id';

const key = clickIdKey('test-internal-secret-0123456789');
const issuer = new ClickIdIssuer(key);
const workspaceId = randomUUID();
const linkId = randomUUID();
const subject = clickIdSubject(workspaceId, linkId)!;

describe('signed click ids', () => {
  it('are 60 URL-safe characters that verify to their link for their workspace only', () => {
    const id = issuer.issue(subject);
    expect(id).toMatch(/^[A-Za-z0-9_-]{60}$/);
    expect(verifyClickId(key, id, workspaceId)).toEqual({ linkId });
    expect(verifyClickId(key, id, workspaceId.toUpperCase())).toEqual({ linkId });
    expect(verifyClickId(key, id, randomUUID())).toBeNull();
    expect(verifyClickId(clickIdKey('another-internal-secret-012345'), id, workspaceId)).toBeNull();
  });

  it('refuses any altered character, and ids that were never signed', () => {
    const id = issuer.issue(subject);
    for (let i = 0; i < id.length; i++) {
      const altered = id.slice(0, i) + (id[i] === 'A' ? 'B' : 'A') + id.slice(i + 1);
      expect(verifyClickId(key, altered, workspaceId)).toBeNull();
    }
    for (const unsigned of ['V1StGXR8_Z5jdHi6B-myT', '', 'x'.repeat(60), `${id}=`, id.slice(1)]) {
      expect(verifyClickId(key, unsigned, workspaceId)).toBeNull();
    }
  });

  it('never repeats across many ids (the nonce pool refills)', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => issuer.issue(subject)));
    expect(ids.size).toBe(20_000);
    for (const id of [...ids].slice(-3)) expect(verifyClickId(key, id, workspaceId)).toEqual({ linkId });
  });

  it('has no subject for ids that are not UUIDs', () => {
    expect(clickIdSubject('ws-1', linkId)).toBeNull();
    expect(clickIdSubject(workspaceId, 'link-1')).toBeNull();
  });
});
