import { DEFAULT_TAG_COLOR, TAG_COLORS, nameConflicts, newTag } from './tag';

describe('tag colors', () => {
  it('are the 22 the docs list, slate by default', () => {
    expect(TAG_COLORS).toHaveLength(22);
    expect(TAG_COLORS[0]).toBe('slate');
    expect(TAG_COLORS[21]).toBe('rose');
    expect(DEFAULT_TAG_COLOR).toBe('slate');
    expect(newTag('id', { name: 'x' })).toEqual({ id: 'id', name: 'x', color: 'slate' });
    expect(newTag('id', { name: 'x', color: 'pink' }).color).toBe('pink');
  });
});

describe('nameConflicts', () => {
  const row = (id: string, name: string) => ({ id, name });

  it('finds repeats within the batch ignoring case, reporting the later item', () => {
    expect(nameConflicts([{ index: 0, row: row('1', 'Sale') }, { index: 1, row: row('2', 'SALE') }], [])).toEqual([{ index: 1, name: 'SALE' }]);
  });

  it('finds names of stored tags that the batch does not touch', () => {
    expect(nameConflicts([{ index: 0, row: row('new', 'sale') }], [row('old', 'Sale')])).toEqual([{ index: 0, name: 'sale' }]);
  });

  it('lets a tag keep or re-case its own name', () => {
    expect(nameConflicts([{ index: 0, row: row('1', 'SALE') }], [row('1', 'Sale')])).toEqual([]);
  });

  it('frees the name of a stored tag that the batch renames', () => {
    const batch = [
      { index: 0, row: row('1', 'Renamed') },
      { index: 1, row: row('2', 'sale') },
    ];
    expect(nameConflicts(batch, [row('1', 'Sale')])).toEqual([]);
  });
});
