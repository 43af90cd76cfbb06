import { applyChanges, newPartner, repeatedIndexes, unique } from './partner';

describe('newPartner', () => {
  it('fills absent contact fields with null and needs a name', () => {
    expect(newPartner('1', { name: 'P' })).toEqual({ id: '1', name: 'P', email: null, phone: null });
    expect(() => newPartner('1', { email: 'a@b.co' })).toThrow();
  });
});

describe('applyChanges', () => {
  const current = { id: '1', name: 'P', email: 'p@example.com', phone: '+1' };

  it('changes given fields, keeps omitted ones, clears with null', () => {
    expect(applyChanges(current, { name: 'Q' })).toEqual({ ...current, name: 'Q' });
    expect(applyChanges(current, { email: null, phone: undefined })).toEqual({ ...current, email: null });
    expect(applyChanges(current, { phone: null })).toEqual({ ...current, phone: null });
    expect(current.email).toBe('p@example.com');
  });
});

it('repeatedIndexes reports later occurrences only', () => {
  expect(repeatedIndexes(['a', undefined, 'a', 'b', undefined])).toEqual([2]);
});

it('unique keeps first-seen order', () => {
  expect(unique([2, 1, 2])).toEqual([2, 1]);
});
