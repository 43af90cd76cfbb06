import { describe, expect, it } from 'vitest';
import { formatBucket, formatDateTime, formatMoney, formatNumber, formatPercent, formatTime, pageCount, totalCountOf } from './format';

describe('console formatting', () => {
  it('formats numbers per language', () => {
    expect(formatNumber(12345, 'en')).toBe('12,345');
    // Arabic-Indic digits
    expect(formatNumber(12345, 'ar')).toMatch(/١٢/);
  });

  it('formats dates per language and tolerates missing ones', () => {
    const iso = '2026-03-04T10:20:00Z';
    expect(formatDateTime(iso, 'en')).toMatch(/2026/);
    expect(formatDateTime(iso, 'ar')).toMatch(/٢٠٢٦/);
    expect(formatDateTime(null, 'en')).toBe('');
    expect(formatDateTime('not a date', 'en')).toBe('');
    expect(formatBucket(iso, 'en', 'hour')).toMatch(/10:00|10:20/);
    expect(formatBucket(iso, 'en', 'day')).toMatch(/4 Mar/);
    expect(formatBucket(iso, 'en', 'month')).toMatch(/Mar 20\d\d/);
    expect(formatBucket(iso, 'ar', 'day')).toMatch(/[٠-٩]/);
    expect(formatTime('2026-03-04T10:20:30Z', 'en')).toBe('10:20:30');
  });

  it('keeps a formatter per language and style: one does not answer for another', () => {
    expect(formatMoney(123456, 'en', 'EUR')).toBe('€1,234.56');
    expect(formatMoney(123456, 'en')).toBe('US$1,234.56');
    expect(formatMoney(123456, 'en', 'EUR')).toBe('€1,234.56');
    expect(formatNumber(1234, 'en')).toBe('1,234');
    expect(formatNumber(1234, 'ar')).toMatch(/^[٠-٩]/);
    expect(formatNumber(1234, 'en')).toBe('1,234');
    expect(formatBucket('2026-03-04T10:20:00Z', 'en', 'month')).toMatch(/Mar 2026/);
    expect(formatBucket('2026-03-04T10:20:00Z', 'en', 'day')).toMatch(/4 Mar/);
  });

  it('formats ratios as percentages per language', () => {
    expect(formatPercent(0.125, 'en')).toBe('12.5%');
    expect(formatPercent(0.5, 'ar')).toMatch(/٥٠/);
  });

  it('pages by X-Total-Count', () => {
    expect(totalCountOf('120')).toBe(120);
    expect(totalCountOf(null)).toBe(0);
    expect(totalCountOf('-3')).toBe(0);
    expect(totalCountOf('1.5')).toBe(0);
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(100, 50)).toBe(2);
    expect(pageCount(101, 50)).toBe(3);
  });
});
