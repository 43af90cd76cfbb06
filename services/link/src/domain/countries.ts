import countries from 'i18n-iso-countries';

const ALPHA2 = new Set(Object.keys(countries.getAlpha2Codes()));

/** True for an ISO 3166-1 alpha-2 code as written in the standard (upper case, e.g. "SA"). */
export const isCountryCode = (code: string) => ALPHA2.has(code);
