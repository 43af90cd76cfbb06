import { newLink } from './link';
import { toHozipLink, toShortpenLink } from './peer-formats';

const link = newLink(
  { id: '7f1c4b7e-9a52-4a4e-9a53-2f0c1d8e3b10', workspaceId: 'a3b1c2d4-1111-4222-8333-944455556666', shortId: 'Ab3dE9z' },
  {
    url: 'https://example.com/launch',
    collectionId: 'c0c0c0c0-1111-4222-8333-944455556666',
    title: 'Launch',
    redirectType: 301,
    hideReferrer: true,
    cloaked: true,
    password: 'p',
    params: { ref: 'x' },
    socialTitle: 'st',
    socialDescription: 'sd',
    socialImage: 'https://img.test/a.png',
    active: false,
  },
  new Date('2025-12-01T10:23:00.000Z'),
  () => ({ cipher: 'c', hash: 'h' }),
);

const bases = { shortBaseUrl: 'https://go.hop.test', domainScheme: 'https' } as const;

describe('peer formats', () => {
  it('maps a link to the Shortpen item', () => {
    expect(toShortpenLink(link, bases, null)).toEqual({
      id: link.id,
      url: 'https://example.com/launch',
      link: 'https://go.hop.test/Ab3dE9z',
      short_url: 'https://go.hop.test/Ab3dE9z',
      starred: false,
      redirect_type: 301,
      domain_id: null,
      workspace_id: link.workspaceId,
      organization_id: null,
      link_cloak: true,
      hide_referer: true,
      with_password: true,
      created_at: '2025-12-01T10:23:00.000Z',
      updated_at: '2025-12-01T10:23:00.000Z',
      title: 'Launch',
      qr: null,
      folder_id: link.collectionId,
      pixel_id: null,
      source_id: null,
      params: { ref: 'x' },
      social_share_title: 'st',
      social_share_description: 'sd',
      social_share_image: 'https://img.test/a.png',
    });
  });

  it('maps a link to the Hozip item, with microsecond timestamps', () => {
    expect(toHozipLink(link, bases)).toEqual({
      id: link.id,
      short_code: 'Ab3dE9z',
      long_url: 'https://example.com/launch',
      domain: 'go.hop.test',
      group_id: link.collectionId,
      is_active: false,
      created_at: '2025-12-01T10:23:00.000000Z',
    });
  });

  it("uses a branded domain's name, id and key", () => {
    const branded = { ...link, shortId: 'sale', domainId: 'd0d0d0d0-1111-4222-8333-944455556666', domain: 'go.brand.test' };
    expect(toShortpenLink(branded, bases, null)).toMatchObject({ short_url: 'https://go.brand.test/sale', domain_id: branded.domainId });
    expect(toHozipLink(branded, bases)).toMatchObject({ short_code: 'sale', domain: 'go.brand.test' });
  });
});
