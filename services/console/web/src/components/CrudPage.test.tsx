import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Collections } from '../pages/catalog/Collections';
import { apiError, serveApi } from '../test/api';
import { renderPage } from '../test/render';

interface Collection {
  id: string;
  name: string;
  description: string | null;
  createdAt: string;
}

const collection = (n: number): Collection => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name: `Campaign ${n}`, description: null, createdAt: '2026-11-01T10:00:00.000Z' });

/** The collections API as the gateway answers it: pages by take/skip with X-Total-Count. */
function collectionsApi(initial: Collection[]) {
  let items = [...initial];
  return {
    items: () => items,
    routes: {
      'GET /api/collections': ({ query }: { query: URLSearchParams }) => {
        const skip = Number(query.get('skip') ?? 0);
        const take = Number(query.get('take') ?? 50);
        return { body: items.slice(skip, skip + take), headers: { 'x-total-count': String(items.length) } };
      },
      'POST /api/collections': ({ body }: { body: unknown }) => {
        const [item] = body as { name: string; description?: string }[];
        if (!item.name) return apiError(400, 'Invalid request', 'طلب غير صالح', [{ path: '[0].name', index: 0, field: 'name', message: 'is not allowed to be empty' }]);
        const created = { ...collection(items.length + 1), ...item };
        items = [created, ...items];
        return { status: 201, body: [created] };
      },
      'PUT /api/collections': ({ body }: { body: unknown }) => {
        const [change] = body as { id: string; name: string; description: string | null }[];
        items = items.map((c) => (c.id === change.id ? { ...c, ...change } : c));
        return { body: [items.find((c) => c.id === change.id)] };
      },
      'DELETE /api/collections': ({ body }: { body: unknown }) => {
        const ids = body as string[];
        items = items.filter((c) => !ids.includes(c.id));
        return { status: 204 };
      },
    },
  };
}

describe('CrudPage (the collections page)', () => {
  it('lists a page with the total from X-Total-Count and pages on to the next', async () => {
    const store = collectionsApi(Array.from({ length: 60 }, (_, i) => collection(i + 1)));
    const api = await serveApi(store.routes);
    const { user } = renderPage(<Collections announce={() => {}} />);
    expect(await screen.findByRole('cell', { name: 'Campaign 1' })).toBeInTheDocument();
    expect(screen.getByText('60 in total')).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(1 + 50);
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByRole('cell', { name: 'Campaign 51' })).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(1 + 10);
    expect(screen.getByText('Page 2 of 2')).toBeInTheDocument();
    expect(api.to('/api/collections', 'GET').map((r) => Object.fromEntries(r.query))).toEqual([
      { take: '50', skip: '0' },
      { take: '50', skip: '50' },
    ]);
  });

  it('creates: the API’s field error shows at the field, then the saved item is listed and announced', async () => {
    const store = collectionsApi([]);
    const api = await serveApi(store.routes);
    const announce = vi.fn();
    const { user } = renderPage(<Collections announce={announce} />);
    expect(await screen.findByText('No collections yet: a link needs one.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'New collection' }));
    const dialog = screen.getByRole('dialog', { name: 'New collection' });
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    await waitFor(() => expect(name).toHaveAccessibleDescription('is not allowed to be empty'));
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByText('Invalid request')).toBeInTheDocument();

    await user.type(name, 'Spring sale');
    await user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Billboards');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('cell', { name: 'Spring sale' })).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(announce).toHaveBeenCalledWith('Collection saved');
    expect(api.to('/api/collections', 'POST').map((r) => r.body)).toEqual([[{}], [{ name: 'Spring sale', description: 'Billboards' }]]);
  });

  it('edits an item in a dialog filled with its values; an emptied optional field is cleared (null)', async () => {
    const store = collectionsApi([{ ...collection(1), description: 'Old text' }]);
    const api = await serveApi(store.routes);
    const { user } = renderPage(<Collections announce={() => {}} />);
    await user.click(await screen.findByRole('button', { name: 'Edit: Campaign 1' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit collection' });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    expect(name).toHaveValue('Campaign 1');
    expect(within(dialog).getByRole('textbox', { name: 'Description' })).toHaveValue('Old text');
    await user.clear(name);
    await user.type(name, 'Renamed');
    await user.clear(within(dialog).getByRole('textbox', { name: 'Description' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('cell', { name: 'Renamed' })).toBeInTheDocument();
    expect(api.to('/api/collections', 'PUT')[0].body).toEqual([{ id: collection(1).id, name: 'Renamed', description: null }]);
  });

  it('deletes after confirmation only, and shows the API’s error when the delete fails', async () => {
    const store = collectionsApi([collection(1), collection(2)]);
    const api = await serveApi({
      ...store.routes,
      'DELETE /api/collections': ({ body }) =>
        (body as string[])[0] === collection(2).id ? apiError(409, 'The collection still has links', 'المجموعة ما زالت تحتوي على روابط') : store.routes['DELETE /api/collections']({ body }),
    });
    const announce = vi.fn();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValue(true);
    const { user } = renderPage(<Collections announce={announce} />);
    const deleteFirst = await screen.findByRole('button', { name: 'Delete: Campaign 1' });

    await user.click(deleteFirst);
    expect(confirm).toHaveBeenLastCalledWith('Delete the collection Campaign 1?');
    expect(api.to('/api/collections', 'DELETE')).toHaveLength(0);

    await user.click(deleteFirst);
    await waitFor(() => expect(screen.queryByRole('cell', { name: 'Campaign 1' })).not.toBeInTheDocument());
    expect(announce).toHaveBeenCalledWith('Collection deleted');
    expect(api.to('/api/collections', 'DELETE')[0].body).toEqual([collection(1).id]);

    await user.click(screen.getByRole('button', { name: 'Delete: Campaign 2' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The collection still has links');
    expect(screen.getByRole('cell', { name: 'Campaign 2' })).toBeInTheDocument();
  });
});
