import type { Language } from './api-error';

/** Intl locales per console language: Arabic digits and Gregorian dates for Arabic. */
const LOCALES: Record<Language, string> = { en: 'en-GB', ar: 'ar-EG-u-ca-gregory' };

/** A scalar shown in a text field: strings as they are, numbers and booleans written out, anything else empty. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** A text field of a submitted form ('' when absent). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * Intl formatters by language and style, made once: making one looks the locale's data up again
 * (tenths of a millisecond each on a slow CPU), and a page formats hundreds of numbers and dates
 * as it renders (the analytics page's breakdowns, the chart's ticks).
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) formatters.set(key, (formatter = make()));
  return formatter;
}

const numberFormat = (language: Language, style: string, options?: Intl.NumberFormatOptions) =>
  cached(`n|${language}|${style}`, () => new Intl.NumberFormat(LOCALES[language], options));

const dateFormat = (language: Language, style: string, options: Intl.DateTimeFormatOptions) =>
  cached(`d|${language}|${style}`, () => new Intl.DateTimeFormat(LOCALES[language], options));

export function formatNumber(value: number, language: Language): string {
  return numberFormat(language, 'plain').format(value);
}

export function formatMoney(cents: number, language: Language, currency = 'USD'): string {
  return numberFormat(language, `currency ${currency}`, { style: 'currency', currency }).format(cents / 100);
}

export function formatDateTime(iso: string | null | undefined, language: Language): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return dateFormat(language, 'date-time', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date);
}

/** A time of day to the second (UTC, as the rest of the console), for events of the last minutes. */
export function formatTime(iso: string, language: Language): string {
  return dateFormat(language, 'time', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' }).format(new Date(iso));
}

export type Granularity = 'hour' | 'day' | 'month';

const BUCKET_FORMATS: Record<Granularity, Intl.DateTimeFormatOptions> = {
  hour: { hour: '2-digit', minute: '2-digit' },
  day: { day: 'numeric', month: 'short' },
  month: { month: 'short', year: 'numeric' },
};

/** A timeseries bucket's label at its granularity (buckets are UTC). */
export function formatBucket(iso: string, language: Language, granularity: Granularity): string {
  return dateFormat(language, `bucket ${granularity}`, { ...BUCKET_FORMATS[granularity], timeZone: 'UTC' }).format(new Date(iso));
}

export function formatPercent(ratio: number, language: Language): string {
  return numberFormat(language, 'percent', { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

/** Pages of a list answered with X-Total-Count; at least one, so an empty list still shows "1 / 1". */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** The X-Total-Count header as a number (0 when absent or malformed). */
export function totalCountOf(header: string | null): number {
  const value = Number(header);
  return Number.isInteger(value) && value >= 0 ? value : 0;
}
