/** The link fields the console edits, and how a form's strings become an API item. */
export interface Link {
  id: string;
  url: string;
  shortUrl: string;
  collectionId: string;
  title: string | null;
  description: string | null;
  utm: Partial<Record<UtmKey, string | null>> | null;
  ios: string | null;
  android: string | null;
  expiresAt: string | null;
  expiredUrl: string | null;
  password: string | null;
  cloaked: boolean | null;
  socialTitle: string | null;
  socialDescription: string | null;
  socialImage: string | null;
  createdAt: string;
}

export const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
export type UtmKey = (typeof UTM_KEYS)[number];

/** Text fields in the order the dialog shows them, grouped; "utm.x" fields live in the utm object. */
export const TEXT_FIELDS = ['url', 'title', 'description', 'ios', 'android', 'expiredUrl', 'password', 'socialTitle', 'socialDescription', 'socialImage'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export type FormValues = Record<TextField | `utm.${UtmKey}` | 'collectionId' | 'expiresAt', string> & { cloaked: boolean };

export function formValuesOf(link: Link | null, defaultCollectionId: string): FormValues {
  const values = { collectionId: link?.collectionId ?? defaultCollectionId, cloaked: link?.cloaked ?? false } as FormValues;
  for (const field of TEXT_FIELDS) values[field] = link?.[field] ?? '';
  for (const key of UTM_KEYS) values[`utm.${key}`] = link?.utm?.[key] ?? '';
  // <input type="datetime-local"> shows minutes, in UTC here (the label says so)
  values.expiresAt = link?.expiresAt ? link.expiresAt.slice(0, 16) : '';
  return values;
}

/**
 * The API item for a form: on create, empty fields are left out; on update (with the link's id),
 * an emptied field is sent as null, which clears it.
 */
export function itemOf(values: FormValues, id: string | null): Record<string, unknown> {
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
  for (const key of Object.keys(item)) if (item[key] === undefined) delete item[key];
  return item;
}
