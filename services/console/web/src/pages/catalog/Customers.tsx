import { useDeferredValue, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { call, query } from '../../lib/client';
import { formatDateTime, formatNumber } from '../../lib/format';
import { ErrorNote } from '../../components/ErrorNote';
import { Pager } from '../../components/Pager';

interface Customer {
  id: string;
  externalId: string;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: string;
}

const PAGE_SIZE = 50;

/** The customers conversions created (read-only: the API has no write for them); search by external id. */
export function Customers() {
  const { t, language } = useI18n();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const externalId = useDeferredValue(search.trim());
  const list = useQuery({
    queryKey: ['customers', externalId, page],
    queryFn: () => call<Customer[]>('GET', `/api/customers?${query({ take: PAGE_SIZE, skip: page * PAGE_SIZE, externalId })}`),
    placeholderData: keepPreviousData,
  });
  const items = list.data?.body ?? [];
  const total = list.data?.total ?? 0;
  return (
    <main id="main">
      <div className="page-head">
        <h1 id="customers-title">{t('customers.title')}</h1>
      </div>
      <div className="toolbar">
        <div className="field inline">
          <label htmlFor="customers-search">{t('customers.search')}</label>
          <input
            id="customers-search"
            type="search"
            dir="ltr"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(0);
            }}
          />
        </div>
        <p className="count" aria-live="polite">
          {t('catalog.total', { n: formatNumber(total, language) })}
        </p>
      </div>
      <ErrorNote error={list.error} />
      <div className="card">
        {list.isSuccess && items.length === 0 ? (
          <p className="empty">{t('customers.empty')}</p>
        ) : (
          <table aria-labelledby="customers-title">
            <thead>
              <tr>
                <th scope="col">{t('catalog.name')}</th>
                <th scope="col">{t('customers.externalId')}</th>
                <th scope="col">{t('catalog.email')}</th>
                <th scope="col">{t('catalog.phone')}</th>
                <th scope="col">{t('catalog.createdAt')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>
                    <bdi className="mono">{c.externalId}</bdi>
                  </td>
                  <td>
                    <bdi>{c.email ?? ''}</bdi>
                  </td>
                  <td>
                    <bdi>{c.phone ?? ''}</bdi>
                  </td>
                  <td>{formatDateTime(c.createdAt, language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <Pager page={page} total={total} pageSize={PAGE_SIZE} onPage={setPage} />
    </main>
  );
}
