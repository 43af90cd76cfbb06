import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { changeLanguage } from '../../i18n';
import { apiError, serveApi } from '../../test/api';
import { renderPage } from '../../test/render';
import { Domains } from './Domains';

const id = '00000000-0000-4000-8000-0000000000a1';
const domain = {
  id,
  name: 'go.example.com',
  status: 'verified',
  verificationRecord: { type: 'TXT', name: '_hop.go.example.com', value: 'hop-verify=1' },
  verifiedAt: '2026-11-30T10:00:00.000Z',
  lastCheckedAt: '2026-11-30T10:00:00.000Z',
  primary: false,
  rootRedirectUrl: 'https://shop.example/',
  notFoundUrl: null,
  createdAt: '2026-11-30T09:00:00.000Z',
};

describe('Domains settings: editing a domain', () => {
  it('sends its redirects (an emptied one as null) and default flag', async () => {
    const api = await serveApi({
      'GET /api/domains': () => ({ body: [domain], headers: { 'x-total-count': '1' } }),
      'PUT /api/domains': ({ body }) => ({ body: [{ ...domain, ...(body as object[])[0] }] }),
    });
    const announce = vi.fn();
    const { user } = renderPage(<Domains announce={announce} />);
    await user.click(await screen.findByRole('button', { name: 'Edit: go.example.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit domain go.example.com' });
    const root = within(dialog).getByLabelText('Where the domain’s root goes');
    expect(root).toHaveValue('https://shop.example/');
    expect(root).toHaveAccessibleDescription('Visitors of the domain without a key; empty: a page naming the domain.');
    await user.clear(root);
    await user.type(within(dialog).getByLabelText('Where unknown keys go'), 'https://shop.example/404');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Default for new links (once verified)' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(announce).toHaveBeenCalledWith('Domain saved'));
    expect(api.to('/api/domains', 'PUT')[0].body).toEqual([{ id, primary: true, rootRedirectUrl: null, notFoundUrl: 'https://shop.example/404' }]);
  });

  it('shows a redirect’s problem at its field, in Arabic', async () => {
    changeLanguage('ar');
    await serveApi({
      'GET /api/domains': () => ({ body: [domain] }),
      'PUT /api/domains': () => apiError(400, 'Invalid request', 'طلب غير صالح', [{ path: '[0].notFoundUrl', index: 0, field: 'notFoundUrl', message: 'must be an absolute http(s) URL' }]),
    });
    const { user } = renderPage(<Domains announce={() => {}} />);
    await user.click(await screen.findByRole('button', { name: 'تعديل: go.example.com' }));
    const dialog = screen.getByRole('dialog', { name: 'تعديل النطاق go.example.com' });
    const notFound = within(dialog).getByLabelText('وجهة المفاتيح غير المعروفة');
    await user.type(notFound, 'nowhere');
    await user.click(within(dialog).getByRole('button', { name: 'حفظ' }));
    await waitFor(() => expect(notFound).toHaveAttribute('aria-invalid', 'true'));
    expect(notFound).toHaveAccessibleDescription(expect.stringContaining('يجب أن يكون رابطًا كاملًا يبدأ بـ http أو https'));
    expect(within(dialog).getByLabelText('وجهة جذر النطاق')).not.toHaveAttribute('aria-invalid');
  });
});
