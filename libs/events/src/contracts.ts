import Joi from 'joi';

/**
 * The records services exchange (event data on Kafka, routes and recent clicks in Redis): one joi
 * schema each, the contract, and the TypeScript type producers and consumers use (object types
 * rather than interfaces where consumers also read them as maps of fields). Each schema is
 * built with `obj<T>()`, so the compiler checks it against its type: every field of the type has
 * a schema of the matching kind (string, number, boolean, object) and the schema names no field
 * the type lacks.
 */

const uuid = Joi.string().guid();
const nullableString = Joi.string().allow(null, '');
const urlString = Joi.string().max(4096);

/** A schema checked against `T` at compile time. Unknown keys pass: contracts change additively, consumers ignore what they don't know. */
export const obj = <T>(keys: Joi.StrictSchemaMap<T>): Joi.ObjectSchema<T> => Joi.object<T, true>(keys).unknown(true);

// A type, not an interface: it is also read as a map (Record<string, …>).
export type Utm = {
  source?: string | null;
  medium?: string | null;
  campaign?: string | null;
  term?: string | null;
  content?: string | null;
  referral?: string | null;
};

const utmSchema = obj<Utm>({
  source: nullableString,
  medium: nullableString,
  campaign: nullableString,
  term: nullableString,
  content: nullableString,
  referral: nullableString,
}).allow(null);

/** Everything the redirector needs to serve a short link (Redis `route:<routeId>`, link.upserted). */
export type Route = {
  linkId: string;
  /** The key (slug) on its domain. */
  shortId: string;
  /** The branded domain's name; null or absent: the deployment's default domain. */
  domain?: string | null;
  workspaceId: string;
  /** The link's collection (analytics filters reports by it); absent in events written before it was added. */
  collectionId?: string | null;
  url: string;
  utm?: Utm | null;
  params?: Record<string, string> | null;
  redirectType: 301 | 302;
  active: boolean;
  expiresAt?: string | null;
  expiredUrl?: string | null;
  passwordHash?: string | null;
  cloaked: boolean;
  hideReferrer: boolean;
  ios?: string | null;
  android?: string | null;
  geo?: Record<string, string> | null;
  partnerId?: string | null;
  tenantId?: string | null;
  externalId?: string | null;
  title?: string | null;
  description?: string | null;
  image?: string | null;
  socialTitle?: string | null;
  socialDescription?: string | null;
  socialImage?: string | null;
  /** Link version (updatedAt in ms): a projector never replaces a route with an older one. */
  version: number;
};

export const routeSchema = obj<Route>({
  linkId: uuid.required(),
  shortId: Joi.string().required(),
  domain: Joi.string().max(253).allow(null),
  workspaceId: uuid.required(),
  collectionId: uuid.allow(null),
  url: urlString.required(),
  utm: utmSchema,
  params: Joi.object().pattern(Joi.string(), Joi.string().allow('')).allow(null),
  redirectType: Joi.number().valid(301, 302).required(),
  active: Joi.boolean().required(),
  expiresAt: Joi.string().isoDate().allow(null),
  expiredUrl: urlString.allow(null),
  passwordHash: Joi.string().allow(null),
  cloaked: Joi.boolean().required(),
  hideReferrer: Joi.boolean().required(),
  ios: urlString.allow(null),
  android: urlString.allow(null),
  geo: Joi.object().pattern(Joi.string().length(2), urlString).allow(null),
  partnerId: uuid.allow(null),
  tenantId: nullableString,
  externalId: nullableString,
  title: nullableString,
  description: nullableString,
  image: urlString.allow(null, ''),
  socialTitle: nullableString,
  socialDescription: nullableString,
  socialImage: urlString.allow(null, ''),
  version: Joi.number().integer().required(),
});

/** A route's id: the key on the default domain (null), `<domain>/<key>` on a branded one (links.v1 key, Redis `route:<id>`). */
export const routeIdOf = (domain: string | null, key: string) => (domain === null ? key : `${domain}/${key}`);

/** A verified branded domain as the redirector serves it (Redis `domain:<name>`; absent: not served). */
export interface DomainRecord {
  name: string;
  workspaceId: string;
  rootRedirectUrl: string | null;
  notFoundUrl: string | null;
  version: number;
}

export const domainRecordSchema = obj<DomainRecord>({
  name: Joi.string().max(253).required(),
  workspaceId: uuid.required(),
  rootRedirectUrl: urlString.allow(null),
  notFoundUrl: urlString.allow(null),
  version: Joi.number().integer().required(),
});

export type ClickTrigger = 'link' | 'qr' | 'embed';

/** Utm-like maps of clicks (the link's, the visitor's request's), keyed source … referral. */
export type ClickUtm = Record<string, string | null>;

/** The `click.recorded` event data (clicks.v1). */
export type ClickRecorded = {
  clickId: string;
  linkId: string;
  shortId: string;
  partnerId?: string | null;
  tenantId?: string | null;
  externalId?: string | null;
  destination?: string | null;
  referrer?: string | null;
  userAgent?: string | null;
  ipHash?: string | null;
  country?: string | null;
  city?: string | null;
  qr: boolean;
  bot: boolean;
  visitorId?: string | null;
  visitorSessionId?: string | null;
  /** The link's utm. */
  utm?: ClickUtm | null;
  /** utm_* (and ref → referral) of the visitor's own request, keyed like `utm` (redirector); they win over the link's. */
  requestUtm?: ClickUtm | null;
  /** Same as the envelope's workspaceId (redirector). */
  workspaceId?: string;
  /** Defaults to 'link' when absent. */
  trigger: ClickTrigger;
  timestamp: string;
};

const clickUtmSchema = Joi.object({}).unknown(true).pattern(Joi.string(), Joi.string().allow('', null)).allow(null);

export const clickSchema = obj<ClickRecorded>({
  clickId: Joi.string().min(1).max(64).required(),
  linkId: uuid.required(),
  shortId: Joi.string().required(),
  partnerId: uuid.allow(null),
  tenantId: nullableString,
  externalId: nullableString,
  destination: urlString.allow(null, ''),
  referrer: nullableString,
  userAgent: nullableString,
  ipHash: nullableString,
  country: Joi.string().length(2).allow(null),
  city: nullableString,
  qr: Joi.boolean().required(),
  bot: Joi.boolean().required(),
  visitorId: nullableString,
  visitorSessionId: nullableString,
  utm: clickUtmSchema,
  requestUtm: clickUtmSchema,
  workspaceId: Joi.string(),
  trigger: Joi.string().valid('link', 'qr', 'embed').default('link'),
  timestamp: Joi.string().isoDate().required(),
});

/**
 * The short-lived Redis record `click:<clickId>` the redirector writes for each counted click, so
 * that /api/track/lead can attribute a lead seconds after the click (conversion reads it).
 */
export type RecentClick = {
  clickId: string;
  linkId: string;
  workspaceId: string;
  partnerId?: string | null;
  shortId?: string;
  tenantId?: string | null;
  externalId?: string | null;
  timestamp?: string;
};

export const recentClickSchema = obj<RecentClick>({
  clickId: Joi.string().required(),
  linkId: uuid.required(),
  workspaceId: Joi.string().required(),
  partnerId: uuid.allow(null),
  shortId: Joi.string(),
  tenantId: nullableString,
  externalId: nullableString,
  timestamp: Joi.string().isoDate(),
});

/** Redis key of a click's recent-click record. */
export const recentClickKey = (clickId: string) => `click:${clickId}`;

/** The recent-click record of a click as the redirector publishes it. */
export function recentClickOf(click: Required<ClickRecorded>): Required<RecentClick> {
  const { clickId, linkId, workspaceId, partnerId, shortId, tenantId, externalId, timestamp } = click;
  return { clickId, linkId, workspaceId, partnerId, shortId, tenantId, externalId, timestamp };
}

/** link.deleted / link.moved: a link left a route. */
export interface RouteLeft {
  linkId: string;
  shortId: string;
  domain?: string | null;
  version: number;
}

export const routeLeftSchema = obj<RouteLeft>({
  linkId: uuid.required(),
  shortId: Joi.string().required(),
  domain: Joi.string().max(253).allow(null),
  version: Joi.number().integer().required(),
});

export interface LinkUpserted {
  route: Route;
}

export interface DomainUpserted {
  domain: DomainRecord;
}

export interface DomainDeleted {
  name: string;
  version: number;
}

/** The customer as the track response shows it (conversion service), so consumers need not ask for it. */
export interface ConversionCustomer {
  id: string;
  externalId: string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  avatar?: string | null;
}

/** The fields lead.created and sale.created share. */
export interface ConversionRecorded {
  customerId: string;
  customerExternalId: string;
  clickId: string;
  linkId: string;
  partnerId?: string | null;
  eventName: string;
  metadata?: Record<string, unknown> | null;
  timestamp: string;
  customer?: ConversionCustomer;
}

export interface LeadCreated extends ConversionRecorded {
  leadId: string;
}

export interface SaleCreated extends ConversionRecorded {
  saleId: string;
  amount: number;
  currency: string;
}

const conversionFields: Joi.StrictSchemaMap<ConversionRecorded> = {
  customerId: uuid.required(),
  customerExternalId: Joi.string().required(),
  clickId: Joi.string().required(),
  linkId: uuid.required(),
  partnerId: uuid.allow(null),
  eventName: Joi.string().required(),
  metadata: Joi.object().allow(null),
  timestamp: Joi.string().isoDate().required(),
  customer: obj<ConversionCustomer>({
    id: uuid.required(),
    externalId: Joi.string().required(),
    name: nullableString,
    email: nullableString,
    phone: nullableString,
    avatar: nullableString,
  }),
};

export const leadCreatedSchema = obj<LeadCreated>({ leadId: uuid.required(), ...conversionFields });

export const saleCreatedSchema = obj<SaleCreated>({
  saleId: uuid.required(),
  ...conversionFields,
  amount: Joi.number().integer().min(0).required(),
  currency: Joi.string().length(3).required(),
});

/** Who made an audited change: a signed-in user, an API key, the operator's CLI, or a service on its own. */
export interface AuditActor {
  type: 'user' | 'key' | 'operator' | 'system';
  id: string | null;
  /** Shown in the audit log: the user's email, the key's prefix… */
  label?: string | null;
}

/** One audited change of a workspace (what, by whom, from which address), for GET /api/audit-log. */
export interface AuditRecorded {
  actor: AuditActor;
  /** `<thing>.<verb>` such as key.created, member.role_changed, domain.deleted, webhook.updated. */
  action: string;
  target?: { type: string; id: string | null } | null;
  /** What changed (never secrets). */
  details?: Record<string, unknown> | null;
  /** The client address the change came from (null when not from a request). */
  ip?: string | null;
}

export const auditRecordedSchema = obj<AuditRecorded>({
  actor: obj<AuditActor>({
    type: Joi.string().valid('user', 'key', 'operator', 'system').required(),
    id: Joi.string().max(100).allow(null).required(),
    label: Joi.string().max(320).allow(null, ''),
  }).required(),
  action: Joi.string().min(3).max(100).required(),
  target: obj<{ type: string; id: string | null }>({ type: Joi.string().max(50).required(), id: Joi.string().max(200).allow(null).required() }).allow(null),
  details: Joi.object().allow(null),
  ip: Joi.string().max(100).allow(null),
});
