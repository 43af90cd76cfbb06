import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { changeLanguage } from '../../i18n';
import { apiError, serveApi, type Handler } from '../../test/api';
import { renderPage } from '../../test/render';
import { Webhooks } from './Webhooks';

const ids = { webhook: '00000000-0000-4000-8000-0000000000e1', spring: '00000000-0000-4000-8000-0000000000c1', link: '00000000-0000-4000-8000-0000000000f1' };

const crm = {
  id: ids.webhook,
  name: 'CRM',
  url: 'https://crm.example/hop',
  events: ['link.clicked'],
  collectionIds: [],
  linkIds: [],
  active: false,
  disabledReason: 'too many failures',
  previousSecretExpiresAt: null,
  createdAt: '2026-11-30T10:00:00.000Z',
  updatedAt: '2026-11-30T10:00:00.000Z',
};

const delivery = (over: Record<string, unknown>) => ({
  id: '00000000-0000-4000-8000-0000000000d1',
  eventId: 'evt_1',
  eventType: 'link.clicked',
  state: 'failed',
  attempt: 3,
  requestedAt: '2026-11-30T10:05:00.000Z',
  durationMs: 1234,
  responseStatus: 500,
  responseBody: 'upstream down',
  error: null,
  nextAttemptAt: null,
  createdAt: '2026-11-30T10:04:00.000Z',
  attempts: [],
  ...over,
});

const routes = (extra: Record<string, Handler> = {}): Record<string, Handler> => ({
  'GET /api/webhooks': () => ({ body: [crm], headers: { 'x-total-count': '1' } }),
  'GET /api/collections': () => ({ body: [{ id: ids.spring, name: 'Spring' }] }),
  ...extra,
});

describe('Webhooks settings', () => {
  it('edits a subscription: receiver, events, filters and active, sent as one PUT item', async () => {
    const api = await serveApi(routes({ 'PUT /api/webhooks': ({ body }) => ({ body: [{ ...crm, ...(body as object[])[0] }] }) }));
    const announce = vi.fn();
    const { user } = renderPage(<Webhooks announce={announce} />);
    await user.click(await screen.findByRole('button', { name: 'Edit: CRM' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit webhook CRM' });
    await within(dialog).findByRole('checkbox', { name: 'Spring' });

    const url = within(dialog).getByLabelText('Receiver URL');
    await user.clear(url);
    await user.type(url, 'https://crm.example/v2');
    await user.click(within(dialog).getByRole('checkbox', { name: 'link.clicked' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'lead.created' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Spring' }));
    await user.type(within(dialog).getByLabelText('Only these link ids'), ` ${ids.link}\n`);
    await user.click(within(dialog).getByRole('checkbox', { name: 'Active (deliveries are sent)' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(announce).toHaveBeenCalledWith('Webhook saved'));
    expect(api.to('/api/webhooks', 'PUT')[0].body).toEqual([
      { id: ids.webhook, name: 'CRM', url: 'https://crm.example/v2', events: ['lead.created'], collectionIds: [ids.spring], linkIds: [ids.link], active: true },
    ]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('shows the API’s problems at their fields, in Arabic', async () => {
    changeLanguage('ar');
    await serveApi(
      routes({
        'PUT /api/webhooks': () =>
          apiError(400, 'Invalid request', 'طلب غير صالح', [
            { path: '[0].url', index: 0, field: 'url', message: 'must be an absolute http(s) URL' },
            { path: '[0].linkIds.0', index: 0, field: 'linkIds.0', message: 'must be a valid GUID' },
          ]),
      }),
    );
    const { user } = renderPage(<Webhooks announce={() => {}} />);
    await user.click(await screen.findByRole('button', { name: 'تعديل: CRM' }));
    const dialog = screen.getByRole('dialog', { name: 'تعديل خطاف الويب CRM' });
    await user.type(within(dialog).getByLabelText('معرّفات هذه الروابط فقط'), 'nope');
    await user.click(within(dialog).getByRole('button', { name: 'حفظ' }));

    const url = within(dialog).getByLabelText('رابط المستقبِل');
    await waitFor(() => expect(url).toHaveAttribute('aria-invalid', 'true'));
    expect(url).toHaveAccessibleDescription('يجب أن يكون رابطًا كاملًا يبدأ بـ http أو https');
    expect(within(dialog).getByLabelText('معرّفات هذه الروابط فقط')).toHaveAccessibleDescription(expect.stringContaining('يجب أن يكون معرّفًا صالحًا (UUID)'));
    expect(within(dialog).getByText('طلب غير صالح')).toBeInTheDocument();
  });

  it('rotates the secret with the chosen grace period for the old one, and shows the new one once', async () => {
    const expires = '2026-12-07T10:00:00.000Z';
    const api = await serveApi(
      routes({
        [`POST /api/webhooks/${ids.webhook}/rotate-secret`]: ({ body }) => {
          const { graceSeconds } = body as { graceSeconds: number };
          return { body: { ...crm, secret: `whsec_new${graceSeconds}`, previousSecretExpiresAt: graceSeconds ? expires : null } };
        },
      }),
    );
    const { user } = renderPage(<Webhooks announce={() => {}} />);
    const rotate = await screen.findByRole('button', { name: 'Rotate secret: CRM' });
    // cancelled: nothing is rotated, and focus is back on the button
    await user.click(rotate);
    let dialog = await screen.findByRole('dialog', { name: 'A new signing secret for CRM' });
    expect(within(dialog).getByLabelText('How long the old secret keeps signing')).toHaveValue('86400');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(rotate).toHaveFocus();
    expect(api.to(`/api/webhooks/${ids.webhook}/rotate-secret`)).toHaveLength(0);

    await user.click(rotate);
    dialog = await screen.findByRole('dialog', { name: 'A new signing secret for CRM' });
    await user.selectOptions(within(dialog).getByLabelText('How long the old secret keeps signing'), '7 days');
    await user.click(within(dialog).getByRole('button', { name: 'Rotate secret' }));
    expect(await screen.findByTestId('webhook-secret')).toHaveTextContent('whsec_new604800');
    expect(api.to(`/api/webhooks/${ids.webhook}/rotate-secret`).map((r) => r.body)).toEqual([{ graceSeconds: 604800 }]);
    expect(screen.getByText(/the old one keeps working until 7 Dec 2026, 10:00,/)).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    // a leaked secret: the old one stops at once
    await user.click(rotate);
    dialog = await screen.findByRole('dialog', { name: 'A new signing secret for CRM' });
    await user.selectOptions(within(dialog).getByLabelText('How long the old secret keeps signing'), 'Stop it now');
    await user.click(within(dialog).getByRole('button', { name: 'Rotate secret' }));
    expect(await screen.findByTestId('webhook-secret')).toHaveTextContent('whsec_new0');
    expect(screen.getByText(/the old one no longer works/)).toBeInTheDocument();
  });

  it('lists deliveries with duration and answer, sends a test event of the chosen type, and sends one again', async () => {
    let deliveries = [delivery({})];
    const api = await serveApi(
      routes({
        [`GET /api/webhooks/${ids.webhook}/deliveries`]: () => ({ body: deliveries, headers: { 'x-total-count': String(deliveries.length) } }),
        [`POST /api/webhooks/${ids.webhook}/test`]: ({ body }) => {
          const sent = delivery({ id: '00000000-0000-4000-8000-0000000000d2', eventType: (body as { type: string }).type, state: 'delivered', attempt: 1, responseStatus: 204, responseBody: '', durationMs: 12 });
          deliveries = [sent, ...deliveries];
          return { status: 202, body: sent };
        },
        [`POST /api/webhooks/${ids.webhook}/deliveries/00000000-0000-4000-8000-0000000000d1/retry`]: () => ({ status: 202, body: delivery({ state: 'pending', attempt: 4 }) }),
      }),
    );
    const announce = vi.fn();
    const { user } = renderPage(<Webhooks announce={announce} />);
    await user.click(await screen.findByRole('button', { name: 'Deliveries: CRM' }));
    const log = await screen.findByRole('table', { name: 'Deliveries of CRM' });
    const failed = await within(log).findByRole('row', { name: /link\.clicked/ });
    expect(within(failed).getByRole('cell', { name: '1,234 ms' })).toBeInTheDocument();
    expect(within(failed).getByText('500 upstream down')).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Test event'), 'sale.created');
    await user.click(screen.getByRole('button', { name: 'Send a test event' }));
    await waitFor(() => expect(announce).toHaveBeenCalledWith('Test event queued'));
    expect(api.to(`/api/webhooks/${ids.webhook}/test`)[0].body).toEqual({ type: 'sale.created' });
    expect(await within(log).findByRole('row', { name: /sale\.created/ })).toHaveTextContent('Delivered');

    await user.click(within(failed).getByRole('button', { name: /^Send again: link\.clicked of / }));
    await waitFor(() => expect(announce).toHaveBeenCalledWith('Delivery queued again'));
    expect(api.to(`/api/webhooks/${ids.webhook}/deliveries/00000000-0000-4000-8000-0000000000d1/retry`, 'POST')).toHaveLength(1);
  });
});
