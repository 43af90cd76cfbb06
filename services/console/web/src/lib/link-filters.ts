import { query } from './client';

/** The links table's filters, as the page holds them ('' = not filtered). */
export interface LinkFilters {
  search: string;
  sort: 'asc' | 'desc';
  collectionId: string;
  tagId: string;
  partnerId: string;
  domain: string;
}

export const NO_FILTERS: LinkFilters = { search: '', sort: 'desc', collectionId: '', tagId: '', partnerId: '', domain: '' };

/**
 * GET /api/links's query for a page of the table: the search is a "starts with" match on the
 * destination; unset filters are left out (the API would read an empty value as a filter).
 */
export function linksQuery(filters: LinkFilters, page: number, pageSize: number): string {
  const search = filters.search.trim();
  return query({
    take: pageSize,
    skip: page * pageSize,
    sort: filters.sort,
    collectionId: filters.collectionId,
    tagId: filters.tagId,
    partnerId: filters.partnerId,
    domain: filters.domain,
    url: search,
    match: search ? 'startswith' : undefined,
  });
}
