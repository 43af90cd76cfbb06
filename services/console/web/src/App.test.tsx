import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { SessionProvider } from './session';
import { apiError, serveApi, type Handler } from './test/api';
import { giveTableRegionHeight } from './test/layout';
import { renderPage } from './test/render';

const me = {
  user: { id: 'u1', email: 'amy@example.test' },
  workspaces: [
    { id: 'w1', name: 'Acme', role: 'owner' },
    { id: 'w2', name: 'Globex', role: 'member' },
  ],
  csrfToken: 'csrf-1',
};

/** The gateway's session routes and a links list (1,200 links, one row shown per page here). */
function gateway(signedIn: boolean): Record<string, Handler> {
  let session = signedIn;
  return {
    'GET /auth/me': () => (session ? { body: me } : apiError(401, 'Not signed in', 'لم يتم تسجيل الدخول')),
    'POST /auth/login': ({ body }) => {
      const { password } = body as { password: string };
      if (password !== 'right') return apiError(401, 'Invalid email or password', 'البريد الإلكتروني أو كلمة المرور غير صحيحة');
      session = true;
      return { body: me };
    },
    'POST /auth/logout': () => {
      session = false;
      return { status: 204 };
    },
    // each workspace has its own link: /a in Acme, /b in Globex
    'GET /api/links': ({ headers }) => {
      const key = headers['x-hop-workspace'] === 'w2' ? 'b' : 'a';
      return {
        body: [{ id: `l-${key}`, url: `https://shop.example/${key}`, shortUrl: `https://go.example.test/${key}`, collectionId: 'c1', title: null, createdAt: '2026-11-30T10:00:00.000Z' }],
        headers: { 'x-total-count': '1200' },
      };
    },
    'DELETE /api/links': () => ({ status: 204 }),
    'GET /api/collections': () => ({ body: [] }),
    'GET /api/tags': () => ({ body: [] }),
    'GET /api/partners': () => ({ body: [] }),
    'GET /api/domains': () => ({ body: [] }),
  };
}

const renderApp = () =>
  renderPage(
    <SessionProvider>
      <App />
    </SessionProvider>,
  );

describe('the console shell', () => {
  beforeEach(giveTableRegionHeight);

  it('signs in: a wrong password shows the API’s error, the right one opens the links of the first workspace', async () => {
    const api = await serveApi(gateway(false));
    const { user } = renderApp();
    await screen.findByRole('heading', { name: 'Sign in to Hop' });
    expect(screen.getByLabelText('Email')).toHaveFocus();
    await user.type(screen.getByLabelText('Email'), 'amy@example.test');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid email or password');

    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'right');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Links' });
    expect(api.to('/auth/login').map((r) => r.body)).toEqual([
      { email: 'amy@example.test', password: 'wrong' },
      { email: 'amy@example.test', password: 'right' },
    ]);
    await waitFor(() => expect(api.to('/api/links', 'GET')).not.toHaveLength(0));
    expect(api.to('/api/links', 'GET')[0].headers['x-hop-workspace']).toBe('w1');
    expect(screen.getByLabelText('Workspace')).toHaveValue('w1');
  });

  it('switches workspace: the next calls name it, it is remembered, and changes carry the CSRF token', async () => {
    const api = await serveApi(gateway(true));
    const { user } = renderApp();
    await screen.findByText('https://go.example.test/a');
    expect(within(screen.getByLabelText('Workspace')).getAllByRole('option').map((o) => o.textContent)).toEqual(['Acme', 'Globex']);

    // switched as soon as the first page shows (its lookups may still be on their way): every call
    // the switch starts names the new workspace (it once refetched with the old one's header)
    const before = api.received.length;
    await user.selectOptions(screen.getByLabelText('Workspace'), 'Globex');
    expect(await screen.findByText('https://go.example.test/b')).toBeInTheDocument();
    expect(screen.queryByText('https://go.example.test/a')).not.toBeInTheDocument();
    expect(api.received.slice(before).filter((r) => r.path === '/api/links').map((r) => r.headers['x-hop-workspace'])).toEqual(['w2']);
    expect(localStorage.getItem('hop.console.workspace')).toBe('w2');
    // reads never send the CSRF token; a change does
    expect(api.to('/api/links', 'GET').at(-1)?.headers['x-csrf-token']).toBeUndefined();
    await user.click(screen.getByRole('checkbox', { name: 'Select https://go.example.test/b' }));
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.click(screen.getByRole('button', { name: 'Delete selected (1)' }));
    await waitFor(() => expect(api.to('/api/links', 'DELETE')).toHaveLength(1));
    expect(api.to('/api/links', 'DELETE')[0].headers).toMatchObject({ 'x-hop-workspace': 'w2', 'x-csrf-token': 'csrf-1' });
  });

  it('opens in the workspace chosen last time', async () => {
    localStorage.setItem('hop.console.workspace', 'w2');
    const api = await serveApi(gateway(true));
    renderApp();
    await screen.findByText('https://go.example.test/b');
    expect(screen.getByLabelText('Workspace')).toHaveValue('w2');
    expect(api.to('/api/links', 'GET')[0].headers['x-hop-workspace']).toBe('w2');
  });

  it('signs out back to the sign-in page', async () => {
    const api = await serveApi(gateway(true));
    const { user } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    await screen.findByRole('heading', { name: 'Sign in to Hop' });
    expect(api.to('/auth/logout')[0].headers['x-csrf-token']).toBe('csrf-1');
    expect(screen.queryByLabelText('Workspace')).not.toBeInTheDocument();
  });

  it('switches to Arabic: right-to-left page, Arabic strings, Arabic digits and dates, remembered', async () => {
    await serveApi(gateway(true));
    const { user } = renderApp();
    await screen.findByText('1,200 links');
    expect(screen.getByText('30 Nov 2026, 10:00')).toBeInTheDocument();
    expect(document.documentElement).toHaveAttribute('dir', 'ltr');

    await user.selectOptions(screen.getByLabelText('Language'), 'العربية');
    expect(document.documentElement).toHaveAttribute('dir', 'rtl');
    expect(document.documentElement).toHaveAttribute('lang', 'ar');
    expect(localStorage.getItem('hop.console.language')).toBe('ar');
    expect(screen.getByRole('heading', { name: 'الروابط' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'تسجيل الخروج' })).toBeInTheDocument();
    expect(screen.getByText('١٬٢٠٠ رابط')).toBeInTheDocument();
    expect(screen.getByText('الصفحة ١ من ٣')).toBeInTheDocument();
    // the row's date in Arabic digits, Gregorian calendar
    expect(screen.getByRole('table')).toHaveTextContent(/٣٠.*١١.*٢٠٢٦/);

    await user.selectOptions(screen.getByLabelText('اللغة'), 'English');
    expect(document.documentElement).toHaveAttribute('dir', 'ltr');
    expect(screen.getByText('1,200 links')).toBeInTheDocument();
  });
});
