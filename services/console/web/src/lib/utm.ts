import { UTM_KEYS, type UtmKey } from './link-form';

export type Utm = Partial<Record<UtmKey, string>>;

/** The query parameter each UTM field becomes, as the redirector appends them (referral is `ref`). */
export const UTM_PARAM: Record<UtmKey, string> = {
  source: 'utm_source',
  medium: 'utm_medium',
  campaign: 'utm_campaign',
  term: 'utm_term',
  content: 'utm_content',
  referral: 'ref',
};

const parse = (url: string): URL | null => {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : null;
  } catch {
    return null;
  }
};

/**
 * Where a visitor lands: the destination with the UTM parameters the redirector appends
 * (`utm_<key>`, `ref`), then the link's own `params` (each replaces one of the same name set before,
 * as the redirector layers them). Null while the destination is not an http(s) URL yet.
 */
export function destinationWithUtm(url: string, utm: Utm, params: Record<string, string> = {}): string | null {
  const parsed = parse(url);
  if (!parsed) return null;
  for (const key of UTM_KEYS) {
    const value = utm[key]?.trim();
    if (value) parsed.searchParams.set(UTM_PARAM[key], value);
  }
  for (const [name, value] of Object.entries(params)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

/**
 * A pasted destination that already carries utm_* (or ref) parameters, split into the bare destination and
 * the UTM fields (so they are edited, and counted, as UTM). Null when there is nothing to split.
 */
export function splitUtm(url: string): { url: string; utm: Utm } | null {
  const parsed = parse(url);
  if (!parsed) return null;
  const utm: Utm = {};
  for (const key of UTM_KEYS) {
    const value = parsed.searchParams.get(UTM_PARAM[key]);
    if (value === null) continue;
    if (value !== '') utm[key] = value;
    parsed.searchParams.delete(UTM_PARAM[key]);
  }
  if (Object.keys(utm).length === 0) return null;
  return { url: parsed.toString(), utm };
}
