import { describe, expect, it } from 'vitest';
import { linksQuery, NO_FILTERS } from './link-filters';

describe('the links table filters', () => {
  it('asks for the page and the order only when nothing is filtered', () => {
    expect(linksQuery(NO_FILTERS, 2, 500)).toBe('take=500&skip=1000&sort=desc');
  });

  it('maps every filter to its API query parameter', () => {
    const query = new URLSearchParams(
      linksQuery({ search: ' https://shop.example/a ', sort: 'asc', collectionId: 'c1', tagId: 't1', partnerId: 'p1', domain: 'go.example.com' }, 0, 50),
    );
    expect(Object.fromEntries(query)).toEqual({
      take: '50',
      skip: '0',
      sort: 'asc',
      collectionId: 'c1',
      tagId: 't1',
      partnerId: 'p1',
      domain: 'go.example.com',
      url: 'https://shop.example/a',
      match: 'startswith',
    });
  });
});
