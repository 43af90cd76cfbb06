import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { changeLanguage } from '../i18n';
import type { Link } from '../lib/link-form';
import { apiError, serveApi, type Handler } from '../test/api';
import { renderPage } from '../test/render';
import { LinkDialog } from './LinkDialog';

const ids = { news: '00000000-0000-4000-8000-0000000000c1', spring: '00000000-0000-4000-8000-0000000000c2', vip: '00000000-0000-4000-8000-0000000000a1', promo: '00000000-0000-4000-8000-0000000000a2', partner: '00000000-0000-4000-8000-0000000000b1' };

/** The lookups the dialog offers (collections, tags, partners, verified domains), as the API lists them. */
const lookups: Record<string, Handler> = {
  'GET /api/collections': () => ({ body: [{ id: ids.news, name: 'Newsletter' }, { id: ids.spring, name: 'Spring' }], headers: { 'x-total-count': '2' } }),
  'GET /api/tags': () => ({ body: [{ id: ids.vip, name: 'VIP', color: 'blue' }, { id: ids.promo, name: 'Promo', color: 'red' }] }),
  'GET /api/partners': () => ({ body: [{ id: ids.partner, name: 'Acme Media' }] }),
  'GET /api/domains': () => ({ body: [{ id: 'd1', name: 'go.example.test', status: 'verified' }, { id: 'd2', name: 'pending.example.test', status: 'pending' }] }),
};

const saved = (item: Record<string, unknown>): Link => ({ id: 'l1', shortUrl: 'https://go.example.test/spring', createdAt: '2026-11-30T10:00:00.000Z', ...item }) as unknown as Link;

async function openDialog(link: Link | null, routes: Record<string, Handler>) {
  const api = await serveApi({ ...lookups, ...routes });
  const onSaved = vi.fn();
  const onClose = vi.fn();
  const page = renderPage(<LinkDialog link={link} onClose={onClose} onSaved={onSaved} />);
  // the lookups have arrived once the collections are offered
  await screen.findByRole('option', { name: 'Spring' });
  await screen.findByRole('checkbox', { name: 'VIP' });
  return { ...page, api, onSaved, onClose, dialog: screen.getByRole('dialog') };
}

describe('LinkDialog', () => {
  it('saves the collection it shows when the URL was typed before the collections arrived', async () => {
    let answerCollections = () => {};
    const collectionsHeld = new Promise<void>((resolve) => (answerCollections = resolve));
    const api = await serveApi({
      ...lookups,
      'GET /api/collections': async (request, res) => {
        await collectionsHeld;
        return lookups['GET /api/collections'](request, res);
      },
      'POST /api/links': ({ body }) => ({ status: 201, body: [saved((body as object[])[0] as Record<string, unknown>)] }),
    });
    const onSaved = vi.fn();
    const { user } = renderPage(<LinkDialog link={null} onClose={vi.fn()} onSaved={onSaved} />);
    await user.click(screen.getByLabelText('Destination URL'));
    await user.paste('https://shop.example/early');
    answerCollections();
    await screen.findByRole('option', { name: 'Newsletter' });
    expect(screen.getByLabelText('Collection')).toHaveValue(ids.news);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(api.to('/api/links', 'POST')[0].body).toEqual([expect.objectContaining({ url: 'https://shop.example/early', collectionId: ids.news })]);
  });

  it('creates a link from every Hoko field group, sent as one item', async () => {
    const { user, api, dialog, onSaved } = await openDialog(null, { 'POST /api/links': ({ body }) => ({ status: 201, body: [saved((body as object[])[0] as Record<string, unknown>)] }) });
    const box = (name: string) => within(dialog).getByLabelText(name);
    // pasted rather than typed key by key: thirty fields typed would take the test's whole budget
    const fill = async (name: string, value: string) => {
      await user.click(box(name));
      await user.paste(value);
    };
    await fill('Destination URL', 'https://shop.example/spring');
    await user.selectOptions(within(dialog).getByLabelText('Collection'), 'Spring');
    await fill('Title', 'Spring sale');
    await fill('Description', 'Everything at half price');
    await fill('Image URL', 'https://cdn.example/spring.png');
    await fill('Source', 'newsletter');
    await fill('Medium', 'email');
    await fill('Campaign', 'spring');
    await fill('Term', 'shoes');
    await fill('Content', 'banner');
    await fill('Referral (ref)', 'friend');
    await user.selectOptions(within(dialog).getByLabelText('Domain'), 'go.example.test');
    // only verified domains are offered
    expect(within(dialog).queryByRole('option', { name: 'pending.example.test' })).not.toBeInTheDocument();
    await fill('Custom key', 'spring');
    await fill('iOS destination', 'https://apps.apple.com/app/id1');
    await fill('Android destination', 'https://play.google.com/store/apps/details?id=shop');
    await user.click(within(dialog).getByRole('button', { name: 'Add a country' }));
    await fill('Country code (ISO, e.g. SA)', 'sa');
    // the country's name, in the user's language, confirms the code
    expect(within(dialog).getByText('Saudi Arabia')).toBeInTheDocument();
    await fill('Where its visitors go', 'https://shop.example/sa');
    await user.click(within(dialog).getByRole('checkbox', { name: 'VIP' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Promo' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Promo' }));
    await user.selectOptions(within(dialog).getByLabelText('Partner'), 'Acme Media');
    await fill('External ID', 'crm-42');
    await fill('Tenant ID', 'tenant-7');
    fireEvent.change(within(dialog).getByLabelText('Expires at (UTC)'), { target: { value: '2026-12-31T23:59' } });
    await fill('URL after expiry', 'https://shop.example/over');
    await fill('Password', 'open sesame');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Cloak the destination' }));
    await user.selectOptions(within(dialog).getByLabelText('Redirect type'), '301 (permanent)');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Active (redirects visitors)' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Hide the referrer from the destination' }));
    await fill('Preview title', 'Spring!');
    await fill('Preview description', 'Half price');
    await fill('Preview image URL', 'https://cdn.example/og.png');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect(api.to('/api/links', 'POST')[0].body).toEqual([
      {
        url: 'https://shop.example/spring',
        collectionId: ids.spring,
        title: 'Spring sale',
        description: 'Everything at half price',
        image: 'https://cdn.example/spring.png',
        utm: { source: 'newsletter', medium: 'email', campaign: 'spring', term: 'shoes', content: 'banner', referral: 'friend' },
        domain: 'go.example.test',
        key: 'spring',
        ios: 'https://apps.apple.com/app/id1',
        android: 'https://play.google.com/store/apps/details?id=shop',
        geo: { SA: 'https://shop.example/sa' },
        tagIds: [ids.vip],
        partnerId: ids.partner,
        externalId: 'crm-42',
        tenantId: 'tenant-7',
        expiresAt: '2026-12-31T23:59:00Z',
        expiredUrl: 'https://shop.example/over',
        password: 'open sesame',
        cloaked: true,
        redirectType: 301,
        active: false,
        hideReferrer: true,
        socialTitle: 'Spring!',
        socialDescription: 'Half price',
        socialImage: 'https://cdn.example/og.png',
      },
    ]);
    expect(onSaved.mock.calls[0][0]).toMatchObject({ id: 'l1', url: 'https://shop.example/spring' });
  });

  it('shows the API’s validation details at their fields, in Arabic for an Arabic user', async () => {
    changeLanguage('ar');
    const invalid = apiError(400, 'Invalid request', 'طلب غير صالح', [
      { path: '[0].url', index: 0, field: 'url', message: 'must be an absolute http(s) URL' },
      { path: '[0].utm.source', index: 0, field: 'utm.source', message: 'length must be less than or equal to 500 characters long' },
      { path: '[0].geo.SA', index: 0, field: 'geo.SA', message: 'must be an absolute http(s) URL' },
      { path: '[0].geo', index: 0, field: 'geo', message: 'has "XX", which is not an ISO 3166-1 alpha-2 country code' },
      { path: '[0].key', index: 0, field: 'key', message: '"spring" is already used on go.example.test' },
    ]);
    const { user, dialog, onSaved } = await openDialog(null, { 'POST /api/links': () => invalid });
    const box = (name: string) => within(dialog).getByLabelText(name);
    await user.type(box('رابط الوجهة'), 'shop.example');
    await user.click(within(dialog).getByRole('button', { name: 'إضافة دولة' }));
    await user.type(box('رمز الدولة (ISO، مثل SA)'), 'SA');
    await user.click(within(dialog).getByRole('button', { name: 'حفظ' }));

    await waitFor(() => expect(box('رابط الوجهة')).toHaveAttribute('aria-invalid', 'true'));
    expect(box('رابط الوجهة')).toHaveAccessibleDescription('يجب أن يكون رابطًا كاملًا يبدأ بـ http أو https');
    expect(box('المصدر')).toHaveAccessibleDescription('يجب ألا يتجاوز الطول 500 حرفًا');
    // a country's problem sits at that country's URL; the geo object's own problem under the group
    expect(box('وجهة زوارها')).toHaveAccessibleDescription('يجب أن يكون رابطًا كاملًا يبدأ بـ http أو https');
    expect(within(dialog).getByText('يحتوي على "XX" وهو ليس رمز دولة ISO 3166-1 من حرفين')).toHaveAttribute('role', 'alert');
    expect(box('مفتاح مخصص')).toHaveAccessibleDescription(expect.stringContaining('المفتاح "spring" مستخدم بالفعل على go.example.test'));
    // the top-level message as the API sent it in Arabic
    expect(within(dialog).getByText('طلب غير صالح')).toBeInTheDocument();
    expect(box('العنوان')).not.toHaveAttribute('aria-invalid');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('builds the landing URL from the UTM fields and moves a pasted URL’s utm_* into them', async () => {
    const { user, dialog } = await openDialog(null, {});
    const box = (name: string) => within(dialog).getByLabelText(name);
    const preview = within(dialog).getByTestId('utm-preview');
    expect(preview).toHaveTextContent('—');

    await user.type(box('Destination URL'), 'https://shop.example/p?id=7');
    await user.type(box('Source'), 'news letter');
    await user.type(box('Campaign'), 'spring');
    await user.type(box('Referral (ref)'), 'amy');
    expect(preview).toHaveTextContent('https://shop.example/p?id=7&utm_source=news+letter&utm_campaign=spring&ref=amy');
    expect(within(dialog).queryByRole('button', { name: 'Move the URL’s UTM parameters into the fields' })).not.toBeInTheDocument();

    await user.clear(box('Destination URL'));
    await user.clear(box('Source'));
    await user.type(box('Destination URL'), 'https://shop.example/p?utm_source=ads&utm_medium=cpc&x=1');
    await user.click(within(dialog).getByRole('button', { name: 'Move the URL’s UTM parameters into the fields' }));
    expect(box('Destination URL')).toHaveValue('https://shop.example/p?x=1');
    expect(box('Source')).toHaveValue('ads');
    expect(box('Medium')).toHaveValue('cpc');
    expect(box('Campaign')).toHaveValue('spring');
    expect(preview).toHaveTextContent('https://shop.example/p?x=1&utm_source=ads&utm_medium=cpc&utm_campaign=spring&ref=amy');
  });

  it('edits a link: filled with its values, its QR code shown, and an emptied field sent as null', async () => {
    const link = saved({
      url: 'https://shop.example/old',
      qrCode: 'https://go.example.test/qrcode?u=spring',
      collectionId: ids.news,
      title: 'Old title',
      description: null,
      utm: { source: 'news' },
      ios: null,
      android: null,
      geo: { AE: 'https://shop.example/ae' },
      expiresAt: null,
      expiredUrl: null,
      password: null,
      cloaked: false,
      socialTitle: null,
      socialDescription: null,
      socialImage: null,
      tagIds: [ids.promo],
      redirectType: 302,
      active: true,
      hideReferrer: false,
      domain: 'go.example.test',
      key: 'spring',
    });
    const { user, api, dialog, onSaved } = await openDialog(link, { 'PUT /api/links': ({ body }) => ({ body: [saved((body as object[])[0] as Record<string, unknown>)] }) });
    const box = (name: string) => within(dialog).getByLabelText(name);
    expect(screen.getByRole('dialog', { name: 'Edit link' })).toBe(dialog);
    expect(box('Destination URL')).toHaveValue('https://shop.example/old');
    expect(within(dialog).getByLabelText('Collection')).toHaveValue(ids.news);
    expect(box('Source')).toHaveValue('news');
    expect(box('Country code (ISO, e.g. SA)')).toHaveValue('AE');
    expect(within(dialog).getByRole('checkbox', { name: 'Promo' })).toBeChecked();
    expect(within(dialog).getByRole('img', { name: 'QR code of https://go.example.test/spring' })).toBeInTheDocument();

    await user.clear(box('Title'));
    await user.click(within(dialog).getByRole('button', { name: 'Remove country AE' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    const [item] = api.to('/api/links', 'PUT')[0].body as Record<string, unknown>[];
    expect(item).toMatchObject({ id: 'l1', url: 'https://shop.example/old', title: null, geo: null, tagIds: [ids.promo], utm: { source: 'news', medium: null } });
    // domain and key unchanged: left out, so the link stays where it is
    expect(item).not.toHaveProperty('domain');
    expect(item).not.toHaveProperty('key');
  });

  it('sends query parameters as name/value rows, previewed after the UTM ones; a row’s problem at that row, in Arabic', async () => {
    const { user, api, dialog, onSaved } = await openDialog(null, {
      'POST /api/links': ({ body }) => {
        const [item] = body as { params?: Record<string, string> }[];
        if (item.params?.lang !== undefined && item.params.lang.length > 5) {
          return apiError(400, 'Invalid request', 'طلب غير صالح', [
            { path: '[0].params.lang', index: 0, field: 'params.lang', message: 'length must be less than or equal to 2000 characters long' },
            { path: '[0].params', index: 0, field: 'params', message: 'must have less than or equal to 50 keys' },
          ]);
        }
        return { status: 201, body: [saved(item)] };
      },
    });
    const box = (name: string) => within(dialog).getByLabelText(name);
    await user.type(box('Destination URL'), 'https://shop.example/p');
    await user.type(box('Source'), 'news');
    const group = within(dialog).getByRole('group', { name: 'Query parameters (set on the destination, after UTM)' });
    await user.click(within(group).getByRole('button', { name: 'Add a parameter' }));
    await user.type(within(group).getByLabelText('Parameter name'), 'utm_source');
    await user.type(within(group).getByLabelText('Value'), 'override');
    await user.click(within(group).getByRole('button', { name: 'Add a parameter' }));
    await user.type(within(group).getAllByLabelText('Parameter name')[1], 'lang');
    await user.type(within(group).getAllByLabelText('Value')[1], 'en-GB-x');
    // the link's params win over a UTM field of the same name, as the redirector layers them
    expect(within(dialog).getByTestId('utm-preview')).toHaveTextContent('https://shop.example/p?utm_source=override&lang=en-GB-x');

    changeLanguage('ar');
    await user.click(await within(dialog).findByRole('button', { name: 'حفظ' }));
    const lang = within(group).getAllByLabelText('القيمة')[1];
    await waitFor(() => expect(lang).toHaveAttribute('aria-invalid', 'true'));
    expect(lang).toHaveAccessibleDescription('يجب ألا يتجاوز الطول 2000 حرفًا');
    expect(within(group).getAllByLabelText('القيمة')[0]).not.toHaveAttribute('aria-invalid');
    expect(within(group).getByText('يجب ألا يتجاوز عدد العناصر 50')).toHaveAttribute('role', 'alert');

    await user.clear(lang);
    await user.type(lang, 'ar');
    await user.click(within(dialog).getByRole('button', { name: 'حفظ' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect((api.to('/api/links', 'POST').at(-1)?.body as Record<string, unknown>[])[0].params).toEqual({ utm_source: 'override', lang: 'ar' });
  });
});
