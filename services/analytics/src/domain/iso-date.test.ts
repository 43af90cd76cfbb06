import { parseIsoDate } from './iso-date';

describe('parseIsoDate', () => {
  it.each([
    ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z'],
    ['2024-01-31T23:59:59.999Z', '2024-01-31T23:59:59.999Z'],
    ['2024-01-01T10:00:00+05:30', '2024-01-01T04:30:00.000Z'],
    ['2024-01-01T10:00:00-0200', '2024-01-01T12:00:00.000Z'],
    ['2024-01-01T10:00', '2024-01-01T10:00:00.000Z'],
    ['2024-01-01T10:00:00.5', '2024-01-01T10:00:00.500Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('reads %s', (input, expected) => {
    expect(parseIsoDate(input)?.toISOString()).toBe(expected);
  });

  it('extends a date without time to the end of that day when asked', () => {
    expect(parseIsoDate('2024-01-31', true)?.toISOString()).toBe('2024-01-31T23:59:59.999Z');
    expect(parseIsoDate('2024-01-31T10:00:00Z', true)?.toISOString()).toBe('2024-01-31T10:00:00.000Z');
  });

  it.each(['invalid-date', '2024-02-30', '2023-02-29', '2024-13-01', '2024-01-01T24:00:00Z', '2024-01-01T10:60:00Z', '01/02/2024', '2024-1-1', '', '2024-01-01T10:00:00+25:00'])(
    'refuses %s',
    (input) => {
      expect(parseIsoDate(input)).toBeNull();
    },
  );
});
