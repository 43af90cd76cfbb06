import type { Language } from './api-error';

/** Intl locales per console language: Arabic digits and Gregorian dates for Arabic. */
const LOCALES: Record<Language, string> = { en: 'en-GB', ar: 'ar-EG-u-ca-gregory' };

/** A text field of a submitted form ('' when absent). */
/** A scalar shown in a text field: strings as they are, numbers and booleans written out, anything else empty. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

export function formatNumber(value: number, language: Language): string {
  return new Intl.NumberFormat(LOCALES[language]).format(value);
}

export function formatMoney(cents: number, language: Language, currency = 'USD'): string {
  return new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency }).format(cents / 100);
}

export function formatDateTime(iso: string | null | undefined, language: Language): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date);
}

/** A timeseries bucket's label: hours for hourly data, days otherwise. */
export function formatBucket(iso: string, language: Language, hourly: boolean): string {
  const options: Intl.DateTimeFormatOptions = hourly ? { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' } : { day: 'numeric', month: 'short', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(LOCALES[language], options).format(new Date(iso));
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
