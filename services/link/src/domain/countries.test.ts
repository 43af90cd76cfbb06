import { isCountryCode } from './countries';

describe('isCountryCode', () => {
  it.each([['SA'], ['US'], ['DE'], ['AE'], ['JP']])('accepts %s', (code) => expect(isCountryCode(code)).toBe(true));
  it.each([['sa'], ['SAU'], ['682'], ['XX'], ['UK'], ['']])('rejects %p', (code) => expect(isCountryCode(code)).toBe(false));
});
