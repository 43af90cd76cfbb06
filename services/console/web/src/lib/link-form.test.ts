import { formValuesOf, itemOf, type Link } from './link-form';

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
  expiresAt: '2026-12-31T23:59:00.000Z',
  expiredUrl: null,
  password: null,
  cloaked: true,
  socialTitle: null,
  socialDescription: null,
  socialImage: null,
  createdAt: '2026-01-01T00:00:00Z',
};

describe('the link form', () => {
  it('creates with only the fields filled in', () => {
    const values = formValuesOf(null, 'c1');
    values.url = ' https://shop.example/new ';
    values['utm.campaign'] = 'spring';
    expect(itemOf(values, null)).toEqual({ collectionId: 'c1', url: 'https://shop.example/new', utm: { campaign: 'spring' }, cloaked: false });
  });

  it('round-trips a link and clears emptied fields with null on update', () => {
    const values = formValuesOf(link, 'other');
    expect(values.collectionId).toBe(link.collectionId);
    expect(values.expiresAt).toBe('2026-12-31T23:59');
    values.title = '';
    values['utm.source'] = '';
    const item = itemOf(values, link.id);
    expect(item).toMatchObject({ id: link.id, url: link.url, title: null, expiresAt: '2026-12-31T23:59:00Z', cloaked: true });
    expect(item.utm).toEqual({ source: null, medium: null, campaign: null, term: null, content: null });
  });
});
