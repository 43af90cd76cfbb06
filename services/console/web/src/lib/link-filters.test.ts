import { describe, expect, it } from 'vitest';
import { linksQuery, nextOrder, NO_FILTERS, orderFromSearch, searchOfOrder } from './link-filters';

describe('the links table filters', () => {
  it('asks for the page and the order only when nothing is filtered', () => {
    expect(linksQuery(NO_FILTERS, 2, 500)).toBe('take=500&skip=1000&sort=desc');
  });

  it('maps every filter to its API query parameter', () => {
    const query = new URLSearchParams(
      linksQuery({ search: ' https://shop.example/a ', orderBy: 'url', sort: 'asc', collectionId: 'c1', tagId: 't1', partnerId: 'p1', domain: 'go.example.com' }, 0, 50),
    );
    expect(Object.fromEntries(query)).toEqual({
      take: '50',
      skip: '0',
      sort: 'asc',
      orderBy: 'url',
      collectionId: 'c1',
      tagId: 't1',
      partnerId: 'p1',
      domain: 'go.example.com',
      url: 'https://shop.example/a',
      match: 'startswith',
    });
  });
});

describe('the links table order', () => {
  it('reads the order from the address bar, falling back to newest first', () => {
    expect(orderFromSearch('?orderBy=key&sort=asc')).toEqual({ orderBy: 'key', sort: 'asc' });
    expect(orderFromSearch('?orderBy=title&sort=desc')).toEqual({ orderBy: 'title', sort: 'desc' });
    expect(orderFromSearch('?orderBy=clicks&sort=up')).toEqual({ orderBy: 'createdAt', sort: 'desc' });
    expect(orderFromSearch('')).toEqual({ orderBy: 'createdAt', sort: 'desc' });
  });

  it('writes it back, keeping other parameters and leaving the default out', () => {
    expect(searchOfOrder('?x=1&sort=desc', { orderBy: 'url', sort: 'asc' })).toBe('?x=1&orderBy=url&sort=asc');
    expect(searchOfOrder('?orderBy=url&sort=asc', { orderBy: 'createdAt', sort: 'desc' })).toBe('');
  });

  it('flips the direction of the same column, and starts text columns A to Z and dates newest first', () => {
    expect(nextOrder({ orderBy: 'url', sort: 'asc' }, 'url')).toEqual({ orderBy: 'url', sort: 'desc' });
    expect(nextOrder({ orderBy: 'createdAt', sort: 'desc' }, 'key')).toEqual({ orderBy: 'key', sort: 'asc' });
    expect(nextOrder({ orderBy: 'url', sort: 'desc' }, 'title')).toEqual({ orderBy: 'title', sort: 'asc' });
    expect(nextOrder({ orderBy: 'key', sort: 'asc' }, 'createdAt')).toEqual({ orderBy: 'createdAt', sort: 'desc' });
  });
});
