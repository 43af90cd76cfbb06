import { useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCollections } from '../collections';
import { useDomains, usePartners, useTags } from '../lookups';
import { useI18n } from '../i18n';
import { call } from '../lib/client';
import { formatDateTime, formatNumber, pageCount } from '../lib/format';
import { linksQuery, nextOrder, NO_FILTERS, orderFromSearch, searchOfOrder, type LinkFilters, type LinkOrder } from '../lib/link-filters';
import type { Link } from '../lib/link-form';
import { ErrorNote } from '../components/ErrorNote';
import { LinkDialog } from './LinkDialog';

/** Rows fetched per page; the table renders only the rows in view, so a page may be large. */
export const PAGE_SIZE = 500;
const ROW_HEIGHT = 44;

const column = createColumnHelper<Link>();

/** The columns the API can sort by (by id, which is also their heading's message key), and its name for each. */
const SORTABLE: Partial<Record<string, LinkOrder>> = { shortUrl: 'key', url: 'url', title: 'title', createdAt: 'createdAt' };

export function Links({ announce }: { announce: (text: string) => void }) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  // the order lives in the address bar too, so a sorted table can be reloaded or shared
  const [filters, setFilters] = useState<LinkFilters>(() => ({ ...NO_FILTERS, ...orderFromSearch(location.search) }));
  const [page, setPage] = useState(0);
  const [editing, setEditing] = useState<Link | 'new' | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const deferredFilters = useDeferredValue(filters);
  /** A new filter shows its first page, with nothing selected. */
  const filter = (change: Partial<LinkFilters>) => {
    setFilters({ ...filters, ...change });
    setPage(0);
    setSelected(new Set());
  };

  const sortBy = (orderBy: LinkOrder, column: string) => {
    const order = nextOrder(filters, orderBy);
    filter(order);
    history.replaceState(history.state, '', `${location.pathname}${searchOfOrder(location.search, order)}`);
    announce(t('links.sorted', { column, direction: t(order.sort === 'asc' ? 'links.ascending' : 'links.descending') }));
  };

  const links = useQuery({
    queryKey: ['links', deferredFilters, page],
    queryFn: () => call<Link[]>('GET', `/api/links?${linksQuery(deferredFilters, page, PAGE_SIZE)}`),
    placeholderData: keepPreviousData,
  });
  const collections = useCollections();
  const tags = useTags();
  const partners = usePartners();
  const domains = useDomains();
  const remove = useMutation({
    mutationFn: (ids: string[]) => call('DELETE', '/api/links', ids),
    onSuccess: async () => {
      setSelected(new Set());
      announce(t('links.deleted'));
      await queryClient.invalidateQueries({ queryKey: ['links'] });
    },
  });
  // mutate is stable across renders (the mutation's state is read from `remove` itself)
  const removeLinks = remove.mutate;
  const copy = useCallback(
    (link: Link) => {
      void navigator.clipboard
        .writeText(link.shortUrl)
        .then(() => announce(t('links.copied', { url: link.shortUrl })))
        // without clipboard permission the URL is still announced, to be copied by hand
        .catch(() => announce(link.shortUrl));
    },
    [announce, t],
  );

  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const columns = useMemo(
    () => [
      column.display({
        id: 'select',
        header: ({ table: t2 }) => {
          const ids = t2.getRowModel().rows.map((r) => r.original.id);
          return (
            <input
              type="checkbox"
              aria-label={t('links.selectPage')}
              checked={ids.length > 0 && ids.every((id) => selectedRef.current.has(id))}
              onChange={(e) => setSelected(e.target.checked ? new Set(ids) : new Set())}
            />
          );
        },
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={t('links.select', { url: row.original.shortUrl })}
            checked={selectedRef.current.has(row.original.id)}
            onChange={(e) => toggleRef.current(row.original.id, e.target.checked)}
          />
        ),
      }),
      column.accessor('shortUrl', { header: () => t('links.columns.shortUrl'), cell: (c) => <bdi className="mono">{c.getValue()}</bdi> }),
      column.accessor('url', { header: () => t('links.columns.url'), cell: (c) => <bdi className="truncate" title={c.getValue()}>{c.getValue()}</bdi> }),
      column.accessor('title', { header: () => t('links.columns.title'), cell: (c) => c.getValue() ?? '' }),
      column.accessor('createdAt', { header: () => t('links.columns.createdAt'), cell: (c) => formatDateTime(c.getValue(), language) }),
      column.display({
        id: 'actions',
        header: () => t('links.actions'),
        cell: ({ row }) => (
          <span className="row-actions">
            <button type="button" onClick={() => copy(row.original)} aria-label={`${t('links.copy')}: ${row.original.shortUrl}`}>
              {t('links.copy')}
            </button>
            <button type="button" onClick={() => setEditing(row.original)} aria-label={`${t('links.edit')}: ${row.original.shortUrl}`}>
              {t('links.edit')}
            </button>
            <button
              type="button"
              className="danger"
              aria-label={`${t('links.delete')}: ${row.original.shortUrl}`}
              onClick={() => confirm(t('links.confirmDelete', { url: row.original.url })) && removeLinks([row.original.id])}
            >
              {t('links.delete')}
            </button>
          </span>
        ),
      }),
    ],
    // the cells read the selection through refs, so the columns change with the language only
    [t, language, copy, removeLinks],
  );
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const toggleRef = useRef(toggle);
  toggleRef.current = toggle;
  const data = useMemo(() => links.data?.body ?? [], [links.data]);
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel() });
  const rows = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const total = links.data?.total ?? 0;
  const pages = pageCount(total, PAGE_SIZE);

  return (
    <main id="main">
      <div className="page-head">
        <h1>{t('links.title')}</h1>
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          {t('links.create')}
        </button>
      </div>
      <div className="toolbar">
        <div className="field inline">
          <label htmlFor="links-search">{t('links.search')}</label>
          <input
            id="links-search"
            type="search"
            dir="ltr"
            value={filters.search}
            onChange={(e) => filter({ search: e.target.value })}
          />
        </div>
        {(
          [
            ['collectionId', 'links-collection', t('links.collectionFilter'), t('links.allCollections'), (collections.data ?? []).map((c) => [c.id, c.name])],
            ['tagId', 'links-tag', t('linkExtra.tagFilter'), t('linkExtra.allTags'), (tags.data ?? []).map((tag) => [tag.id, tag.name])],
            ['partnerId', 'links-partner', t('linkExtra.partnerFilter'), t('linkExtra.allPartners'), (partners.data ?? []).map((p) => [p.id, p.name])],
            ['domain', 'links-domain', t('linkExtra.domainFilter'), t('linkExtra.allDomains'), (domains.data ?? []).map((d) => [d.name, d.name])],
          ] as const
        ).map(([name, id, label, all, choices]) => (
          <div className="field inline" key={name}>
            <label htmlFor={id}>{label}</label>
            <select id={id} value={filters[name]} onChange={(e) => filter({ [name]: e.target.value })}>
              <option value="">{all}</option>
              {choices.map(([value, text]) => (
                <option key={value} value={value}>
                  {text}
                </option>
              ))}
            </select>
          </div>
        ))}
        <button
          type="button"
          className="danger"
          disabled={selected.size === 0 || remove.isPending}
          onClick={() => confirm(t('links.confirmDeleteSelected', { n: formatNumber(selected.size, language) })) && remove.mutate([...selected])}
        >
          {t('links.deleteSelected', { n: formatNumber(selected.size, language) })}
        </button>
        <p className="count" aria-live="polite">
          {t('links.total', { n: formatNumber(total, language) })}
        </p>
      </div>
      <ErrorNote error={links.error ?? remove.error} />
      <div className="table-scroll" ref={scroller} tabIndex={0} role="region" aria-label={t('links.table')}>
        <table aria-rowcount={rows.length + 1}>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const content = flexRender(header.column.columnDef.header, header.getContext());
                  const orderBy = SORTABLE[header.id];
                  if (!orderBy) return <th key={header.id} scope="col">{content}</th>;
                  const current = filters.orderBy === orderBy ? filters.sort : null;
                  return (
                    <th key={header.id} scope="col" aria-sort={current === 'asc' ? 'ascending' : current === 'desc' ? 'descending' : 'none'}>
                      <button type="button" className="sort" onClick={() => sortBy(orderBy, t(`links.columns.${header.id}`))}>
                        {content}
                        <span aria-hidden="true" className="sort-mark">
                          {current === 'asc' ? '▲' : current === 'desc' ? '▼' : '↕'}
                        </span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {padTop > 0 && (
              <tr aria-hidden="true">
                <td colSpan={columns.length} style={{ height: padTop }} />
              </tr>
            )}
            {items.map((item) => {
              const row = rows[item.index];
              return (
                <tr key={row.id} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                  ))}
                </tr>
              );
            })}
            {padBottom > 0 && (
              <tr aria-hidden="true">
                <td colSpan={columns.length} style={{ height: padBottom }} />
              </tr>
            )}
          </tbody>
        </table>
        {links.isSuccess && rows.length === 0 && <p className="empty">{t('links.empty')}</p>}
      </div>
      <nav className="pager" aria-label={t('links.page', { page: page + 1, pages })}>
        <button type="button" onClick={() => setPage(page - 1)} disabled={page === 0}>
          {t('links.previous')}
        </button>
        <span>{t('links.page', { page: formatNumber(page + 1, language), pages: formatNumber(pages, language) })}</span>
        <button type="button" onClick={() => setPage(page + 1)} disabled={page + 1 >= pages}>
          {t('links.next')}
        </button>
      </nav>
      {editing && (
        <LinkDialog
          link={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            announce(t('linkForm.saved'));
          }}
        />
      )}
    </main>
  );
}
