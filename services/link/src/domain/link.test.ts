import { applyChanges, newLink, presentLink, toRoute, type Link, type SealPassword } from './link';
import { routeSchema } from '@hop/events';

const seal: SealPassword = (password) => ({ cipher: `sealed:${password}`, hash: `hash:${password}` });
const ids = { id: '7f1c4b7e-9a52-4a4e-9a53-2f0c1d8e3b10', workspaceId: 'a3b1c2d4-1111-4222-8333-944455556666', shortId: 'Ab3dE9z' };
const collectionId = 'c0c0c0c0-1111-4222-8333-944455556666';
const t0 = new Date('2025-01-01T00:00:00.000Z');
const t1 = new Date('2025-01-02T00:00:00.000Z');

const base = (): Link => newLink(ids, { url: 'https://example.com', collectionId }, t0, seal);

describe('newLink', () => {
  it('starts from the defaults: 302, active, no referrer hiding, nothing else set', () => {
    const link = base();
    expect(link).toMatchObject({
      ...ids,
      url: 'https://example.com',
      collectionId,
      redirectType: 302,
      active: true,
      hideReferrer: false,
      cloaked: false,
      utm: null,
      geo: null,
      params: null,
      tagIds: [],
      passwordCipher: null,
      passwordHash: null,
      createdAt: t0,
      updatedAt: t0,
      deletedAt: null,
    });
  });

  it('seals a password into cipher and hash', () => {
    const link = newLink(ids, { url: 'https://x.test', collectionId, password: 'launch' }, t0, seal);
    expect(link.passwordCipher).toBe('sealed:launch');
    expect(link.passwordHash).toBe('hash:launch');
  });
});

describe('applyChanges', () => {
  it('changes only the fields given; null clears', () => {
    const link = applyChanges(base(), { title: 'T', description: 'D', externalId: 'e1' }, t1, seal);
    const next = applyChanges(link, { title: null, url: 'https://other.test' }, t1, seal);
    expect(next).toMatchObject({ title: null, description: 'D', externalId: 'e1', url: 'https://other.test', collectionId });
  });

  it('merges utm key by key; a null key clears it; null clears all; nothing left is null', () => {
    let link = applyChanges(base(), { utm: { source: 'google', medium: 'cpc' } }, t1, seal);
    link = applyChanges(link, { utm: { medium: null, campaign: 'summer' } }, t1, seal);
    expect(link.utm).toEqual({ source: 'google', campaign: 'summer' });
    expect(applyChanges(link, { utm: null }, t1, seal).utm).toBeNull();
    expect(applyChanges(link, { utm: { source: null, campaign: null } }, t1, seal).utm).toBeNull();
  });

  it('treats cloaked null as false, empty geo and params as null, dedupes tags', () => {
    const set = applyChanges(base(), { cloaked: true, geo: { SA: 'https://sa.test' }, params: { a: '1' }, tagIds: ['t', 't', 'u'] }, t1, seal);
    expect(set).toMatchObject({ cloaked: true, geo: { SA: 'https://sa.test' }, params: { a: '1' }, tagIds: ['t', 'u'] });
    expect(applyChanges(set, { cloaked: null, geo: {}, params: {}, tagIds: null }, t1, seal)).toMatchObject({
      cloaked: false,
      geo: null,
      params: null,
      tagIds: [],
    });
  });

  it('clears the password and its hash with null', () => {
    const set = applyChanges(base(), { password: 'p' }, t1, seal);
    expect(applyChanges(set, { password: null }, t1, seal)).toMatchObject({ passwordCipher: null, passwordHash: null });
  });

  it('moves updatedAt forward even when the clock does not', () => {
    const link = base();
    const same = applyChanges(link, { title: 'x' }, t0, seal);
    expect(same.updatedAt.getTime()).toBe(t0.getTime() + 1);
    expect(applyChanges(link, { title: 'x' }, t1, seal).updatedAt).toEqual(t1);
    expect(same.createdAt).toEqual(t0);
  });
});

describe('presentLink and toRoute', () => {
  it('shows every documented field (null when unset) and opens the password', () => {
    const link = applyChanges(base(), { password: 'launch', expiresAt: t1 }, t1, seal);
    const shown = presentLink(link, { shortBaseUrl: 'https://hop.test', domainScheme: 'https' }, (c) => c.replace('sealed:', ''));
    expect(Object.keys(shown)).toEqual([
      'id', 'url', 'shortUrl', 'qrCode', 'title', 'description', 'image', 'utm', 'expiresAt', 'expiredUrl', 'password',
      'cloaked', 'ios', 'android', 'geo', 'collectionId', 'externalId', 'tenantId', 'partnerId', 'createdAt', 'updatedAt',
      'redirectType', 'active', 'hideReferrer', 'params', 'socialTitle', 'socialDescription', 'socialImage', 'tagIds', 'domain', 'key',
    ]);
    expect(shown).toMatchObject({ shortUrl: 'https://hop.test/Ab3dE9z', domain: 'hop.test', key: 'Ab3dE9z', password: 'launch', expiresAt: t1.toISOString(), title: null });
  });

  it('builds a route that satisfies the shared route schema, versioned by updatedAt', () => {
    const link = applyChanges(base(), { password: 'p', geo: { SA: 'https://sa.test' }, utm: { source: 's' } }, t1, seal);
    const route = toRoute(link);
    expect(routeSchema.validate(route).error).toBeUndefined();
    expect(route).toMatchObject({ linkId: ids.id, shortId: ids.shortId, passwordHash: 'hash:p', version: t1.getTime() });
    expect(JSON.stringify(route)).not.toContain('sealed:');
  });

  it('puts a link on a branded domain in its short URL, QR code and route', () => {
    const link = { ...applyChanges(base(), { key: 'spring-sale' }, t1, seal), domainId: ids.id, domain: 'xn--bcher-kva.example' };
    const shown = presentLink(link, { shortBaseUrl: 'https://hop.test', domainScheme: 'https' }, (c) => c);
    expect(shown).toMatchObject({ shortUrl: 'https://xn--bcher-kva.example/spring-sale', domain: 'xn--bcher-kva.example', key: 'spring-sale' });
    expect(shown.qrCode).toMatch(/^https:\/\/xn--bcher-kva\.example\/qrcode\?text=https%3A%2F%2Fxn--bcher-kva\.example%2Fspring-sale%3Fqr%3D1&/);
    expect(toRoute(link)).toMatchObject({ shortId: 'spring-sale', domain: 'xn--bcher-kva.example' });
    expect(routeSchema.validate(toRoute(link)).error).toBeUndefined();
  });
});
