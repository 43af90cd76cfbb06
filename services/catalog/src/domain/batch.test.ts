import { applyChanges, repeatedIndexes, requiredName, unique } from './batch';

describe('applyChanges', () => {
  type Row = { id: string; name: string; description: string | null };
  const current: Row = { id: '1', name: 'A', description: 'old' };
  const apply = (changes: Partial<Row>) => applyChanges<Row, Row>(current, changes);

  it('changes given fields, keeps omitted ones, clears with null', () => {
    expect(apply({ name: 'B' })).toEqual({ id: '1', name: 'B', description: 'old' });
    expect(apply({ description: null })).toEqual({ id: '1', name: 'A', description: null });
    expect(apply({ name: undefined })).toEqual(current);
  });

  it('does not modify the current record', () => {
    apply({ name: 'B' });
    expect(current.name).toBe('A');
  });
});

describe('repeatedIndexes', () => {
  it('reports later occurrences only and ignores missing keys', () => {
    expect(repeatedIndexes(['a', undefined, 'b', 'a', undefined, 'a', 'b'])).toEqual([3, 5, 6]);
    expect(repeatedIndexes(['a', 'b'])).toEqual([]);
  });
});

it('unique keeps first-seen order', () => {
  expect(unique(['b', 'a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
});

it('requiredName refuses a missing name', () => {
  expect(requiredName('x')).toBe('x');
  expect(() => requiredName(undefined)).toThrow();
});
