import { query } from './client';

/** What the links table is ordered by: the columns the API can sort by (an index each). */
export const LINK_ORDERS = ['createdAt', 'url', 'key', 'title'] as const;
export type LinkOrder = (typeof LINK_ORDERS)[number];

/** The links table's filters, as the page holds them ('' = not filtered). */
export interface LinkFilters {
  search: string;
  orderBy: LinkOrder;
  sort: 'asc' | 'desc';
  collectionId: string;
  tagId: string;
  partnerId: string;
  domain: string;
}

export const NO_FILTERS: LinkFilters = { search: '', orderBy: 'createdAt', sort: 'desc', collectionId: '', tagId: '', partnerId: '', domain: '' };

/**
 * GET /api/links's query for a page of the table: the search is a "starts with" match on the
 * destination; unset filters and the API's default order are left out (the API would read an
 * empty value as a filter).
 */
export function linksQuery(filters: LinkFilters, page: number, pageSize: number): string {
  const search = filters.search.trim();
  return query({
    take: pageSize,
    skip: page * pageSize,
    sort: filters.sort,
    orderBy: filters.orderBy === 'createdAt' ? undefined : filters.orderBy,
    collectionId: filters.collectionId,
    tagId: filters.tagId,
    partnerId: filters.partnerId,
    domain: filters.domain,
    url: search,
    match: search ? 'startswith' : undefined,
  });
}

type Order = Pick<LinkFilters, 'orderBy' | 'sort'>;

/** The table's order from the address bar's query (`?orderBy=url&sort=asc`); newest first otherwise. */
export function orderFromSearch(search: string): Order {
  const params = new URLSearchParams(search);
  const orderBy = LINK_ORDERS.find((o) => o === params.get('orderBy')) ?? 'createdAt';
  const sort = params.get('sort') === 'asc' ? 'asc' : 'desc';
  return { orderBy, sort };
}

/** The address bar's query for an order (empty for the default, newest first), other parameters kept. */
export function searchOfOrder(search: string, order: Order): string {
  const params = new URLSearchParams(search);
  params.delete('orderBy');
  params.delete('sort');
  if (order.orderBy !== NO_FILTERS.orderBy || order.sort !== NO_FILTERS.sort) {
    params.set('orderBy', order.orderBy);
    params.set('sort', order.sort);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A click on a column's header: the same column flips its direction; another starts with the
 * direction people expect of it (newest first for dates, A to Z for text).
 */
export function nextOrder(current: Order, orderBy: LinkOrder): Order {
  if (current.orderBy === orderBy) return { orderBy, sort: current.sort === 'asc' ? 'desc' : 'asc' };
  return { orderBy, sort: orderBy === 'createdAt' ? 'desc' : 'asc' };
}
