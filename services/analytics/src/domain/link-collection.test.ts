import { newestPerLink } from './link-collection';

describe('the link → collection projection', () => {
  it('keeps the newest version of each link of a batch', () => {
    const entry = (linkId: string, collectionId: string, version: number) => ({ linkId, workspaceId: 'w', collectionId, version });
    expect(newestPerLink([entry('a', 'c1', 2), entry('b', 'c1', 1), entry('a', 'c2', 3), entry('a', 'c3', 1)])).toEqual([entry('a', 'c2', 3), entry('b', 'c1', 1)]);
  });
});
