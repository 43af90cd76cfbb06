/** The link fields the console edits, and how a form's strings become an API item. */
export interface Link {
  id: string;
  url: string;
  shortUrl: string;
  qrCode?: string;
  collectionId: string;
  title: string | null;
  description: string | null;
  image?: string | null;
  utm: Partial<Record<UtmKey, string | null>> | null;
  ios: string | null;
  android: string | null;
  geo?: Record<string, string> | null;
  params?: Record<string, string> | null;
  expiresAt: string | null;
  expiredUrl: string | null;
  password: string | null;
  cloaked: boolean | null;
  socialTitle: string | null;
  socialDescription: string | null;
  socialImage: string | null;
  externalId?: string | null;
  tenantId?: string | null;
  partnerId?: string | null;
  tagIds?: string[];
  redirectType?: 301 | 302;
  active?: boolean;
  hideReferrer?: boolean;
  domain?: string;
  key?: string;
  createdAt: string;
}

export const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content', 'referral'] as const;
export type UtmKey = (typeof UTM_KEYS)[number];

/** Text fields in the order the dialog shows them, grouped; "utm.x" fields live in the utm object. */
export const TEXT_FIELDS = [
  'url',
  'title',
  'description',
  'image',
  'ios',
  'android',
  'expiredUrl',
  'password',
  'socialTitle',
  'socialDescription',
  'socialImage',
  'externalId',
  'tenantId',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** One row of the geo targeting editor: a country code and where its visitors go. */
export interface GeoRow {
  country: string;
  url: string;
}

/** One query parameter the redirector sets on the destination (the link's `params`). */
export interface ParamRow {
  name: string;
  value: string;
}

export type FormValues = Record<TextField | `utm.${UtmKey}` | 'collectionId' | 'expiresAt' | 'partnerId' | 'domain' | 'key', string> & {
  cloaked: boolean;
  active: boolean;
  hideReferrer: boolean;
  redirectType: '301' | '302';
  tagIds: string[];
  geo: GeoRow[];
  params: ParamRow[];
};

export function formValuesOf(link: Link | null, defaultCollectionId: string): FormValues {
  const values = {
    collectionId: link?.collectionId ?? defaultCollectionId,
    cloaked: link?.cloaked ?? false,
    active: link?.active ?? true,
    hideReferrer: link?.hideReferrer ?? false,
    redirectType: link?.redirectType === 301 ? '301' : '302',
    tagIds: link?.tagIds ?? [],
    geo: Object.entries(link?.geo ?? {}).map(([country, url]) => ({ country, url })),
    params: Object.entries(link?.params ?? {}).map(([name, value]) => ({ name, value })),
    partnerId: link?.partnerId ?? '',
    domain: link?.domain ?? '',
    key: link?.key ?? '',
  } as FormValues;
  for (const field of TEXT_FIELDS) values[field] = link?.[field] ?? '';
  for (const key of UTM_KEYS) values[`utm.${key}`] = link?.utm?.[key] ?? '';
  // <input type="datetime-local"> shows minutes, in UTC here (the label says so)
  values.expiresAt = link?.expiresAt ? link.expiresAt.slice(0, 16) : '';
  return values;
}

/** The geo rows as the API's object; rows without a country are still being typed and are left out. */
export function geoOf(rows: GeoRow[]): Record<string, string> {
  const geo: Record<string, string> = {};
  for (const row of rows) {
    const country = row.country.trim().toUpperCase();
    if (country) geo[country] = row.url.trim();
  }
  return geo;
}

/**
 * The parameter rows as the API's object. Names are kept as typed (a query parameter's name is
 * case-sensitive); rows without a name are still being typed and are left out; a later row wins.
 */
export function paramsOf(rows: ParamRow[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const row of rows) if (row.name.trim()) params[row.name.trim()] = row.value;
  return params;
}

/**
 * The API item for a form: on create, empty fields are left out; on update (with the link's id),
 * an emptied field is sent as null, which clears it. Domain and key are sent only when changed
 * from `initial` (the link as it was): omitted, the API keeps a link where it is, and a key
 * cannot be cleared, only replaced.
 */
export function itemOf(values: FormValues, id: string | null, initial?: Pick<FormValues, 'domain' | 'key'>): Record<string, unknown> {
  const empty = id ? null : undefined;
  const item: Record<string, unknown> = id ? { id } : {};
  item.collectionId = values.collectionId;
  for (const field of TEXT_FIELDS) {
    const value = values[field].trim();
    item[field] = value === '' ? empty : value;
  }
  const utm: Record<string, string | null> = {};
  for (const key of UTM_KEYS) {
    const value = values[`utm.${key}`].trim();
    if (value !== '') utm[key] = value;
    else if (id) utm[key] = null;
  }
  item.utm = Object.keys(utm).length ? utm : empty;
  item.expiresAt = values.expiresAt ? `${values.expiresAt}:00Z` : empty;
  item.cloaked = values.cloaked;
  const geo = geoOf(values.geo);
  item.geo = Object.keys(geo).length ? geo : empty;
  const params = paramsOf(values.params);
  item.params = Object.keys(params).length ? params : empty;
  item.partnerId = values.partnerId || empty;
  item.tagIds = values.tagIds.length || id ? values.tagIds : undefined;
  // the API's defaults (302, active, referrer kept) need not be spelled out on create
  if (id || values.redirectType !== '302') item.redirectType = Number(values.redirectType);
  if (id || !values.active) item.active = values.active;
  if (id || values.hideReferrer) item.hideReferrer = values.hideReferrer;
  const domain = values.domain.trim();
  if (domain !== (initial?.domain ?? '')) item.domain = domain === '' ? null : domain;
  const key = values.key.trim();
  if (key !== '' && key !== (initial?.key ?? '')) item.key = key;
  for (const name of Object.keys(item)) if (item[name] === undefined) delete item[name];
  return item;
}
