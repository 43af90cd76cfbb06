import Joi from 'joi';
import type { ValidateFunction } from 'ajv';
import { envelopeSchema, type EventEnvelope } from './envelope';
import { compileEventCheck } from './fast-check';

const uuid = Joi.string().guid();
const nullableString = Joi.string().allow(null, '');
const urlString = Joi.string().max(4096);
// Schemas accept unknown keys: contracts change additively, consumers ignore what they don't know.
const obj = (keys: Joi.PartialSchemaMap) => Joi.object(keys).unknown(true);

const utmSchema = obj({
  source: nullableString,
  medium: nullableString,
  campaign: nullableString,
  term: nullableString,
  content: nullableString,
  referral: nullableString,
}).allow(null);

/** Everything the redirector needs to serve a short link. */
export const routeSchema = obj({
  linkId: uuid.required(),
  /** The key (slug) on its domain. */
  shortId: Joi.string().required(),
  /** The branded domain's name; null or absent: the deployment's default domain. */
  domain: Joi.string().max(253).allow(null),
  workspaceId: uuid.required(),
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
  /** Link version (updatedAt in ms): a projector never replaces a route with an older one. */
  version: Joi.number().integer().required(),
});

export const clickSchema = obj({
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
  utm: obj({}).pattern(Joi.string(), Joi.string().allow('', null)).allow(null),
  /** utm_* (and ref → referral) of the visitor's own request, keyed like `utm` (redirector). */
  requestUtm: obj({}).pattern(Joi.string(), Joi.string().allow('', null)).allow(null),
  /** Same as the envelope's workspaceId (redirector). */
  workspaceId: Joi.string(),
  trigger: Joi.string().valid('link', 'qr', 'embed').default('link'),
  timestamp: Joi.string().isoDate().required(),
});

/** A verified branded domain as the redirector serves it (absent from Redis: not served). */
export const domainRecordSchema = obj({
  name: Joi.string().max(253).required(),
  workspaceId: uuid.required(),
  rootRedirectUrl: urlString.allow(null),
  notFoundUrl: urlString.allow(null),
  version: Joi.number().integer().required(),
});

const conversionBase = {
  customerId: uuid.required(),
  customerExternalId: Joi.string().required(),
  clickId: Joi.string().required(),
  linkId: uuid.required(),
  partnerId: uuid.allow(null),
  eventName: Joi.string().required(),
  metadata: Joi.object().allow(null),
  timestamp: Joi.string().isoDate().required(),
  /** The customer as the track response shows it (conversion service), so consumers need not ask for it. */
  customer: obj({
    id: uuid.required(),
    externalId: Joi.string().required(),
    name: nullableString,
    email: nullableString,
    phone: nullableString,
    avatar: nullableString,
  }),
};

/** Who made an audited change: a signed-in user, an API key, the operator's CLI, or a service on its own. */
const auditActorSchema = obj({
  type: Joi.string().valid('user', 'key', 'operator', 'system').required(),
  id: Joi.string().max(100).allow(null).required(),
  /** Shown in the audit log: the user's email, the key's prefix… */
  label: Joi.string().max(320).allow(null, ''),
});

/** One audited change of a workspace (what, by whom, from which address), for GET /api/audit-log. */
export const auditRecordedSchema = obj({
  actor: auditActorSchema.required(),
  /** `<thing>.<verb>` such as key.created, member.role_changed, domain.deleted, webhook.updated. */
  action: Joi.string().min(3).max(100).required(),
  target: obj({ type: Joi.string().max(50).required(), id: Joi.string().max(200).allow(null).required() }).allow(null),
  /** What changed (never secrets). */
  details: Joi.object().allow(null),
  /** The client address the change came from (null when not from a request). */
  ip: Joi.string().max(100).allow(null),
});

export const TOPICS = {
  links: {
    name: 'links.v1',
    /**
     * Compacted and keyed by route id (the short id on the default domain, `<domain>/<key>` on a
     * branded one): the latest event per route rebuilds every route.
     */
    compacted: true,
    events: {
      'link.upserted': obj({ route: routeSchema.required() }),
      'link.deleted': obj({
        linkId: uuid.required(),
        shortId: Joi.string().required(),
        domain: Joi.string().max(253).allow(null),
        version: Joi.number().integer().required(),
      }),
      /** The link left this route (PUT changed its domain or key); its new route comes as link.upserted. */
      'link.moved': obj({
        linkId: uuid.required(),
        shortId: Joi.string().required(),
        domain: Joi.string().max(253).allow(null),
        version: Joi.number().integer().required(),
      }),
    },
  },
  domains: {
    name: 'domains.v1',
    /** Compacted and keyed by domain name: the latest event per name tells whether the redirector serves it. */
    compacted: true,
    events: {
      /** The domain is verified (or its settings changed): the redirector serves it. */
      'domain.upserted': obj({ domain: domainRecordSchema.required() }),
      /** Deleted: the redirector stops serving it. */
      'domain.deleted': obj({ name: Joi.string().max(253).required(), version: Joi.number().integer().required() }),
    },
  },
  clicks: {
    name: 'clicks.v1',
    compacted: false,
    events: { 'click.recorded': clickSchema },
  },
  conversions: {
    name: 'conversions.v1',
    compacted: false,
    events: {
      'lead.created': obj({ leadId: uuid.required(), ...conversionBase }),
      'sale.created': obj({
        saleId: uuid.required(),
        ...conversionBase,
        amount: Joi.number().integer().min(0).required(),
        currency: Joi.string().length(3).required(),
      }),
    },
  },
  catalog: {
    name: 'catalog.v1',
    compacted: false,
    events: {
      'tag.deleted': obj({ tagId: uuid.required() }),
      'collection.deleted': obj({ collectionId: uuid.required() }),
    },
  },
  audit: {
    name: 'audit.v1',
    /** Keyed by workspaceId: one workspace's entries stay in order. */
    compacted: false,
    events: { 'audit.recorded': auditRecordedSchema },
  },
} as const;

export type TopicKey = keyof typeof TOPICS;
export type EventType<K extends TopicKey> = keyof (typeof TOPICS)[K]['events'] & string;

/** The broker-side name of a topic (a prefix isolates test runs and environments). */
export const topicName = (topic: TopicKey, prefix = '') => `${prefix}${TOPICS[topic].name}`;

export class InvalidEventError extends Error {
  constructor(
    readonly topic: string,
    readonly reason: string,
  ) {
    super(`invalid event for ${topic}: ${reason}`);
  }
}

/** The data schema of a topic's event type; undefined for unknown types (own keys only: types come from the wire). */
const dataSchemaOf = (topic: TopicKey, type: string): Joi.Schema | undefined =>
  Object.hasOwn(TOPICS[topic].events, type) ? (TOPICS[topic].events as Record<string, Joi.Schema>)[type] : undefined;

/** Compiled first checks by data schema: one per known event type, whatever types arrive. */
const fastChecks = new Map<Joi.Schema, ValidateFunction>();

/** The compiled first check of a topic's event type (undefined: no such type), made on first use. */
function fastCheck(topic: TopicKey, type: unknown): ValidateFunction | undefined {
  const data = typeof type === 'string' ? dataSchemaOf(topic, type) : undefined;
  if (!data) return undefined;
  let check = fastChecks.get(data);
  if (!check) fastChecks.set(data, (check = compileEventCheck(envelopeSchema, type as string, data)));
  return check;
}

/**
 * Validates an event against its topic's schema; used by producers before writing and consumers
 * on read. Events the compiled check accepts are returned as they are (joi would return them
 * unchanged, see fast-check.ts); joi decides about all others.
 */
export function validateEvent<K extends TopicKey>(topic: K, event: unknown): EventEnvelope<EventType<K>> {
  if (fastCheck(topic, (event as { type?: unknown } | null)?.type)?.(event)) return event as EventEnvelope<EventType<K>>;
  return validateEventWithJoi(topic, event);
}

/** The contract itself: joi's verdict and value (validateEvent asks it whenever the compiled check does not accept). */
export function validateEventWithJoi<K extends TopicKey>(topic: K, event: unknown): EventEnvelope<EventType<K>> {
  const envelope = envelopeSchema.validate(event, { allowUnknown: true });
  if (envelope.error) throw new InvalidEventError(TOPICS[topic].name, envelope.error.message);
  const value = envelope.value as EventEnvelope;
  const dataSchema = dataSchemaOf(topic, value.type);
  if (!dataSchema) throw new InvalidEventError(TOPICS[topic].name, `unknown event type ${value.type}`);
  const data = dataSchema.validate(value.data);
  if (data.error) throw new InvalidEventError(TOPICS[topic].name, `${value.type}: ${data.error.message}`);
  return { ...value, data: data.value } as EventEnvelope<EventType<K>>;
}
