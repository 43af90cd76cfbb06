import { describe, expect, it } from 'vitest';
import { formValuesOf, geoOf, itemOf, paramsOf, type Link } from './link-form';

const link: Link = {
  id: '0b6f1d2e-8a31-4a53-9c5e-8c1d2f3a4b5c',
  url: 'https://shop.example/a',
  shortUrl: 'https://hop.test/abc',
  collectionId: 'c0000000-0000-4000-8000-000000000001',
  title: 'Spring',
  description: null,
  utm: { source: 'news', medium: null },
  ios: null,
  android: null,
  geo: { SA: 'https://shop.example/sa' },
  params: { ref: 'mail', lang: '' },
  expiresAt: '2026-12-31T23:59:00.000Z',
  expiredUrl: null,
  password: null,
  cloaked: true,
  socialTitle: null,
  socialDescription: null,
  socialImage: null,
  tagIds: ['t1'],
  partnerId: null,
  redirectType: 301,
  active: true,
  hideReferrer: false,
  domain: 'hop.test',
  key: 'abc',
  createdAt: '2026-01-01T00:00:00Z',
};

describe('the link form', () => {
  it('creates with only the fields filled in', () => {
    const values = formValuesOf(null, 'c1');
    values.url = ' https://shop.example/new ';
    values['utm.campaign'] = 'spring';
    expect(itemOf(values, null)).toEqual({ collectionId: 'c1', url: 'https://shop.example/new', utm: { campaign: 'spring' }, cloaked: false });
  });

  it('creates with targeting, tags, a partner, a custom key and redirect options', () => {
    const values = formValuesOf(null, 'c1');
    values.url = 'https://shop.example/new';
    values.geo = [
      { country: 'ae', url: ' https://shop.example/ae ' },
      { country: '', url: 'https://half.typed' },
    ];
    values.tagIds = ['t1', 't2'];
    values.partnerId = 'p1';
    values.key = 'spring-26';
    values.domain = 'go.example.com';
    values.redirectType = '301';
    values.hideReferrer = true;
    expect(itemOf(values, null)).toEqual({
      collectionId: 'c1',
      url: 'https://shop.example/new',
      cloaked: false,
      geo: { AE: 'https://shop.example/ae' },
      tagIds: ['t1', 't2'],
      partnerId: 'p1',
      key: 'spring-26',
      domain: 'go.example.com',
      redirectType: 301,
      hideReferrer: true,
    });
  });

  it('round-trips a link and clears emptied fields with null on update', () => {
    const values = formValuesOf(link, 'other');
    expect(values.collectionId).toBe(link.collectionId);
    expect(values.expiresAt).toBe('2026-12-31T23:59');
    expect(values.geo).toEqual([{ country: 'SA', url: 'https://shop.example/sa' }]);
    expect(values.params).toEqual([
      { name: 'ref', value: 'mail' },
      { name: 'lang', value: '' },
    ]);
    values.params = [];
    values.title = '';
    values['utm.source'] = '';
    values.geo = [];
    values.tagIds = [];
    const item = itemOf(values, link.id, formValuesOf(link, 'other'));
    expect(item).toMatchObject({ id: link.id, url: link.url, title: null, expiresAt: '2026-12-31T23:59:00Z', cloaked: true, geo: null, params: null, tagIds: [], partnerId: null, redirectType: 301 });
    expect(item.utm).toEqual({ source: null, medium: null, campaign: null, term: null, content: null, referral: null });
    // unchanged domain and key stay where they are
    expect('domain' in item || 'key' in item).toBe(false);
  });

  it('moves a link: a changed key is sent, the default domain is null', () => {
    const initial = formValuesOf(link, 'other');
    const values = { ...initial, key: 'new-key', domain: '' };
    expect(itemOf(values, link.id, initial)).toMatchObject({ key: 'new-key', domain: null });
  });

  it('sends query parameters by name, keeping empty values and leaving out unnamed rows', () => {
    const values = formValuesOf(null, 'c1');
    values.url = 'https://shop.example/new';
    values.params = [
      { name: ' ref ', value: 'mail' },
      { name: 'empty', value: '' },
      { name: '', value: 'half typed' },
    ];
    expect(itemOf(values, null).params).toEqual({ ref: 'mail', empty: '' });
    expect(paramsOf([{ name: 'a', value: '1' }, { name: 'a', value: '2' }])).toEqual({ a: '2' });
  });

  it('reads geo rows as upper-case country codes', () => {
    expect(geoOf([{ country: ' sa ', url: 'https://a.example' }])).toEqual({ SA: 'https://a.example' });
  });
});
