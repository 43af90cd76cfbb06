import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { serveApi, type Handler } from '../test/api';
import { giveTableRegionHeight } from '../test/layout';
import { renderPage } from '../test/render';
import { Links, PAGE_SIZE } from './Links';

const link = (n: number) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  url: `https://shop.example/p/${n}`,
  shortUrl: `https://go.example.test/k${n}`,
  collectionId: 'c1',
  title: `Product ${n}`,
  createdAt: '2026-11-30T10:00:00.000Z',
});

/** GET /api/links as the link service answers: one page of `take` from `skip`, the total in X-Total-Count. */
function linksApi(total: number): Record<string, Handler> {
  return {
    'GET /api/links': ({ query }) => {
      const skip = Number(query.get('skip'));
      const take = Number(query.get('take'));
      const count = Math.max(0, Math.min(take, total - skip));
      return { body: Array.from({ length: count }, (_, i) => link(skip + i + 1)), headers: { 'x-total-count': String(total) } };
    },
    'GET /api/collections': () => ({ body: [{ id: 'c1', name: 'Newsletter' }] }),
    'GET /api/tags': () => ({ body: [{ id: 't1', name: 'VIP', color: 'blue' }] }),
    'GET /api/partners': () => ({ body: [{ id: 'p1', name: 'Acme Media' }] }),
    'GET /api/domains': () => ({ body: [{ id: 'd1', name: 'go.example.test', status: 'verified' }] }),
  };
}

const linkQueries = (api: Awaited<ReturnType<typeof serveApi>>) => api.to('/api/links', 'GET').map((r) => Object.fromEntries(r.query));

describe('Links page', () => {
  beforeEach(giveTableRegionHeight);

  it('shows the total from X-Total-Count and pages by it', async () => {
    const api = await serveApi(linksApi(1200));
    const { user } = renderPage(<Links announce={() => {}} />);
    expect(await screen.findByText('1,200 links')).toBeInTheDocument();
    expect(screen.getByText('Page 1 of 3')).toBeInTheDocument();
    expect(screen.getByText('https://go.example.test/k1')).toBeInTheDocument();
    // 500 rows fetched, only those in view (and a few around) rendered
    const table = screen.getByRole('table');
    expect(table).toHaveAttribute('aria-rowcount', String(PAGE_SIZE + 1));
    expect(within(table).getAllByRole('checkbox', { name: /^Select https/ }).length).toBeLessThan(50);
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await user.click(await screen.findByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('https://go.example.test/k1001')).toBeInTheDocument();
    expect(screen.getByText('Page 3 of 3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
    expect(linkQueries(api).map((q) => [q.skip, q.take])).toEqual([
      ['0', String(PAGE_SIZE)],
      ['500', String(PAGE_SIZE)],
      ['1000', String(PAGE_SIZE)],
    ]);
  });

  it('sends the search and every filter in the query, back on the first page', async () => {
    const api = await serveApi(linksApi(1200));
    const { user } = renderPage(<Links announce={() => {}} />);
    await screen.findByText('1,200 links');
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('Page 2 of 3');

    await user.type(screen.getByRole('searchbox', { name: 'Search by destination (starts with)' }), 'https://shop');
    await user.selectOptions(screen.getByLabelText('Collection'), 'Newsletter');
    await user.selectOptions(screen.getByLabelText('Tag'), 'VIP');
    await user.selectOptions(screen.getByLabelText('Partner'), 'Acme Media');
    await user.selectOptions(screen.getByLabelText('Domain'), 'go.example.test');
    // each keystroke and choice reads the table again (the answers may arrive in any order)
    await waitFor(() =>
      expect(linkQueries(api)).toContainEqual({
        take: String(PAGE_SIZE),
        skip: '0',
        sort: 'desc',
        url: 'https://shop',
        match: 'startswith',
        collectionId: 'c1',
        tagId: 't1',
        partnerId: 'p1',
        domain: 'go.example.test',
      }),
    );
    expect(screen.getByText('Page 1 of 3')).toBeInTheDocument();
  });

  it('sorts by a column’s heading (mouse or keyboard), announced and kept in the address bar', async () => {
    history.replaceState(null, '', '/app/links?orderBy=key&sort=desc');
    const api = await serveApi(linksApi(3));
    const announce = vi.fn();
    const { user } = renderPage(<Links announce={announce} />);
    await screen.findByText('3 links');
    // the order the address bar named
    expect(linkQueries(api)[0]).toMatchObject({ orderBy: 'key', sort: 'desc' });
    const heading = (name: string) => screen.getByRole('columnheader', { name: new RegExp(`^${name}`) });
    expect(heading('Short URL')).toHaveAttribute('aria-sort', 'descending');
    expect(heading('Destination')).toHaveAttribute('aria-sort', 'none');
    // the selection and actions columns are not orders: no button
    expect(within(screen.getAllByRole('columnheader').at(-1)!).queryByRole('button')).not.toBeInTheDocument();

    await user.click(within(heading('Title')).getByRole('button'));
    await waitFor(() => expect(linkQueries(api).at(-1)).toMatchObject({ orderBy: 'title', sort: 'asc' }));
    expect(heading('Title')).toHaveAttribute('aria-sort', 'ascending');
    expect(location.search).toBe('?orderBy=title&sort=asc');

    await user.click(within(heading('Destination')).getByRole('button'));
    await waitFor(() => expect(linkQueries(api).at(-1)).toMatchObject({ orderBy: 'url', sort: 'asc' }));
    expect(heading('Destination')).toHaveAttribute('aria-sort', 'ascending');
    expect(heading('Short URL')).toHaveAttribute('aria-sort', 'none');
    expect(location.search).toBe('?orderBy=url&sort=asc');
    expect(announce).toHaveBeenLastCalledWith('Sorted by Destination, ascending');

    within(heading('Destination')).getByRole('button').focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(linkQueries(api).at(-1)).toMatchObject({ orderBy: 'url', sort: 'desc' }));
    // back to newest first: the API's default order is left out of the query and the address bar
    await user.click(within(heading('Created')).getByRole('button'));
    await waitFor(() => expect(linkQueries(api).at(-1)).toEqual({ take: String(PAGE_SIZE), skip: '0', sort: 'desc' }));
    expect(location.search).toBe('');
  });

  it('deletes the selected links after confirmation, and the whole page with the header box', async () => {
    const api = await serveApi({ ...linksApi(3), 'DELETE /api/links': () => ({ status: 204 }) });
    const announce = vi.fn();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { user } = renderPage(<Links announce={announce} />);
    const bulk = () => screen.getByRole('button', { name: /^Delete selected/ });
    await screen.findByText('3 links');
    expect(bulk()).toBeDisabled();

    await user.click(screen.getByRole('checkbox', { name: 'Select https://go.example.test/k1' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select https://go.example.test/k3' }));
    expect(bulk()).toHaveTextContent('Delete selected (2)');
    await user.click(bulk());
    expect(confirm).toHaveBeenCalledWith('Delete 2 links?');
    await waitFor(() => expect(announce).toHaveBeenCalledWith('Link deleted'));
    expect(api.to('/api/links', 'DELETE')[0].body).toEqual([link(1).id, link(3).id]);
    // the selection is cleared and the page read again
    expect(bulk()).toHaveTextContent('Delete selected (0)');
    await waitFor(() => expect(api.to('/api/links', 'GET')).toHaveLength(2));

    await user.click(screen.getByRole('checkbox', { name: 'Select every link on this page' }));
    expect(bulk()).toHaveTextContent('Delete selected (3)');
    await user.click(bulk());
    await waitFor(() => expect(api.to('/api/links', 'DELETE')).toHaveLength(2));
    expect(api.to('/api/links', 'DELETE')[1].body).toEqual([link(1).id, link(2).id, link(3).id]);
  });

  it('copies a short URL to the clipboard and says so', async () => {
    await serveApi(linksApi(2));
    const announce = vi.fn();
    const { user } = renderPage(<Links announce={announce} />);
    await user.click(await screen.findByRole('button', { name: 'Copy short URL: https://go.example.test/k2' }));
    await waitFor(() => expect(announce).toHaveBeenCalledWith('Copied https://go.example.test/k2'));
    expect(await navigator.clipboard.readText()).toBe('https://go.example.test/k2');
  });

  it('opens the link dialog from a row, filled with that link', async () => {
    await serveApi(linksApi(2));
    const { user } = renderPage(<Links announce={() => {}} />);
    await user.click(await screen.findByRole('button', { name: 'Edit: https://go.example.test/k2' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit link' });
    expect(within(dialog).getByLabelText('Destination URL')).toHaveValue('https://shop.example/p/2');
  });
});
