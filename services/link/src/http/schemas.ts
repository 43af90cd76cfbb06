import Joi from 'joi';
import { listQuery, oneOrMany } from '@hop/http';
import { isCountryCode } from '../domain/countries';
import { parseIsoDateTime } from '../domain/date-time';
import { normalizeDomainName } from '../domain/domain-name';
import { isAbsoluteHttpUrl } from '../domain/destination-url';
import { LINK_ORDERS, type LinkOrder, type PageRequest, type UrlMatch } from '../app/ports';
import type { DomainStatus } from '../domain/custom-domain';
import { UTM_KEYS } from '../domain/link';
import { keyProblem } from '../domain/link-key';

const uuid = Joi.string().guid().lowercase();
const text = (max: number) => Joi.string().max(max);

const httpUrl = Joi.string()
  .max(4096)
  .custom((value: string, helpers) => (isAbsoluteHttpUrl(value) ? value : helpers.error('link.httpUrl')))
  .messages({ 'link.httpUrl': '{{#label}} must be an absolute http(s) URL' });

const isoDateTime = Joi.string()
  .custom((value: string, helpers) => parseIsoDateTime(value) ?? helpers.error('link.dateTime'))
  .messages({ 'link.dateTime': '{{#label}} must be an ISO 8601 date-time with a time zone, e.g. 2026-12-31T23:59:00Z' });

const geo = Joi.object()
  .pattern(Joi.string(), httpUrl)
  .max(250)
  .custom((value: Record<string, string>, helpers) => {
    const bad = Object.keys(value).find((code) => !isCountryCode(code));
    return bad === undefined ? value : helpers.error('link.country', { code: bad });
  })
  .messages({ 'link.country': '{{#label}} has "{{#code}}", which is not an ISO 3166-1 alpha-2 country code (e.g. "SA")' });

/** A custom slug (domain/link-key.ts has the rules). */
const linkKey = Joi.string()
  .custom((value: string, helpers) => {
    const problem = keyProblem(value);
    return problem ? helpers.error('link.key', { problem }) : value;
  })
  .messages({ 'link.key': '{{#label}} {{#problem}}' });

/** The fields of a link a client may send; on update, null clears a field. */
const linkFields = {
  /** Hop's: the host of one of the workspace's verified domains (IDN accepted), or the default domain's; null: the default. */
  domain: Joi.string().max(253).allow(null),
  key: linkKey,
  url: httpUrl,
  collectionId: uuid,
  title: text(500).allow(null),
  description: text(5000).allow(null),
  image: httpUrl.allow(null),
  utm: Joi.object(Object.fromEntries(UTM_KEYS.map((key) => [key, text(500).allow(null)]))).allow(null),
  expiresAt: isoDateTime.allow(null),
  expiredUrl: httpUrl.allow(null),
  password: Joi.string().max(128).allow(null),
  cloaked: Joi.boolean().allow(null),
  ios: httpUrl.allow(null),
  android: httpUrl.allow(null),
  geo: geo.allow(null),
  externalId: text(255).allow(null),
  tenantId: text(255).allow(null),
  partnerId: uuid.allow(null),
  redirectType: Joi.number().valid(301, 302),
  active: Joi.boolean(),
  hideReferrer: Joi.boolean(),
  params: Joi.object().pattern(Joi.string().min(1).max(200), Joi.string().allow('').max(2000)).max(50).allow(null),
  socialTitle: text(500).allow(null),
  socialDescription: text(5000).allow(null),
  socialImage: httpUrl.allow(null),
  tagIds: Joi.array().items(uuid).unique().max(100).allow(null),
  // Read-only fields of the link object: accepted and ignored, so a link read by GET can be sent back.
  shortUrl: Joi.any().strip(),
  qrCode: Joi.any().strip(),
  createdAt: Joi.any().strip(),
  updatedAt: Joi.any().strip(),
};

/** Fields required to create a link (POST, or PUT without id). */
const REQUIRED_TO_CREATE = ['url', 'collectionId'] as const;

/** Distinct key sets kept compiled; beyond this the cache starts over (bounds memory against odd bodies). */
const MAX_COMPILED = 500;

/**
 * The schema of one link item. Joi visits every key of an object schema for every item, present
 * or not, which dominates a 10,000-item body; items of one body mostly share their keys, so each
 * distinct key set gets a schema of just those fields (plus the required ones), compiled once.
 * Keys that are not link fields still fail with "is not allowed".
 */
export class LinkItemSchemas {
  private readonly compiled = new Map<string, Joi.ObjectSchema>();

  /** `withId`: PUT items may carry an id (update); POST items may not. */
  constructor(private readonly withId: boolean) {}

  of(item: unknown): Joi.Schema {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return Joi.object().required();
    const keys = Object.keys(item).sort();
    const creating = !this.withId || !('id' in item);
    const signature = `${creating}:${keys.join(',')}`;
    let schema = this.compiled.get(signature);
    if (!schema) {
      const available: Joi.PartialSchemaMap = this.withId ? { id: uuid, ...linkFields } : linkFields;
      const picked: Joi.PartialSchemaMap = Object.fromEntries(keys.filter((k) => k in available).map((k) => [k, available[k]]));
      if (creating) for (const field of REQUIRED_TO_CREATE) picked[field] = (linkFields[field] as Joi.Schema).required();
      schema = Joi.object(picked);
      if (this.compiled.size >= MAX_COMPILED) this.compiled.clear();
      this.compiled.set(signature, schema);
    }
    return schema;
  }
}

/** DELETE: link ids. */
export const deleteItem = uuid.required();

export interface ListLinksQuery extends PageRequest {
  id?: string[];
  externalId?: string[];
  tenantId?: string[];
  partnerId?: string[];
  url?: string;
  match: UrlMatch;
  collectionId?: string[];
  tagId?: string[];
  domain?: string;
  orderBy: LinkOrder;
}

/** GET /api/links: Hoko's filters (OR), Hop's filters (AND), pagination. */
export const listLinksQuery = Joi.object<ListLinksQuery>({
  id: oneOrMany(uuid),
  externalId: oneOrMany(text(255)),
  tenantId: oneOrMany(text(255)),
  partnerId: oneOrMany(uuid),
  url: text(4096),
  match: Joi.string().valid('exact', 'startswith').default('exact'),
  collectionId: oneOrMany(uuid),
  tagId: oneOrMany(uuid),
  /** Hop's: only links on this domain (a branded domain's host, or the default domain's). */
  domain: Joi.string().max(253),
  /** Hop's: what `sort` orders by (createdAt, Hoko's order; the destination URL; the key; the title). */
  orderBy: Joi.string().valid(...LINK_ORDERS).default('createdAt'),
  ...listQuery,
});

/** Shortpen's GET /v1/links (workspace_id is accepted and ignored: the API key decides the workspace). */
export const shortpenQuery = Joi.object<{ page: number; limit: number; workspace_id?: unknown; include_qr: boolean }>({
  page: Joi.number().integer().min(1).default(1),
  limit: Joi.number().integer().min(1).max(100).default(100),
  workspace_id: Joi.any(),
  include_qr: Joi.boolean().default(false),
}).unknown(true);

/** Hozip's GET /api/v1/external/links. */
export const hozipQuery = Joi.object<{ limit: number; offset: number; long_url?: string; match: UrlMatch }>({
  limit: Joi.number().integer().min(1).max(100).default(20),
  offset: Joi.number().integer().min(0).default(0),
  long_url: Joi.string().max(2048),
  match: Joi.string().valid('exact', 'startswith').default('exact'),
}).unknown(true);

/** A domain name field: normalised (IDN → ASCII) and refused as domain-name.ts says. */
export const domainName = (ownHosts: readonly string[]) =>
  Joi.string()
    .max(300)
    .custom((value: string, helpers) => {
      const checked = normalizeDomainName(value, ownHosts);
      return 'name' in checked ? checked.name : helpers.error('domain.name', { problem: checked.problem });
    })
    .messages({ 'domain.name': '{{#label}} {{#problem}}' });

const domainFields = {
  primary: Joi.boolean(),
  rootRedirectUrl: httpUrl.allow(null),
  notFoundUrl: httpUrl.allow(null),
  // Read-only fields of the domain object: accepted and ignored, so a domain read by GET can be sent back.
  status: Joi.any().strip(),
  verificationToken: Joi.any().strip(),
  verificationRecord: Joi.any().strip(),
  verifiedAt: Joi.any().strip(),
  lastCheckedAt: Joi.any().strip(),
  createdAt: Joi.any().strip(),
};

/** POST items (name required, no id) and PUT items (id: update; no id: create with a name). */
export function domainItemSchemas(ownHosts: readonly string[]) {
  const name = domainName(ownHosts);
  return {
    create: Joi.object({ name: name.required(), ...domainFields }),
    upsert: Joi.object({ id: uuid, name, ...domainFields }).when(Joi.object({ id: Joi.exist() }).unknown(), { otherwise: Joi.object({ name: name.required() }) }),
  };
}

/** GET /api/domains: filters and pagination. */
export const listDomainsQuery = Joi.object<{ name?: string[]; status?: DomainStatus[] } & PageRequest>({
  name: oneOrMany(Joi.string().max(300)),
  status: oneOrMany(Joi.string().valid('pending', 'verified', 'failed')),
  ...listQuery,
});

export const domainIdParam: Joi.StringSchema<string> = uuid.required();
