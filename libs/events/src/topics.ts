import Joi from 'joi';
import type { ValidateFunction } from 'ajv';
import { envelopeSchema, type EventEnvelope } from './envelope';
import { compileEventCheck } from './fast-check';
import {
  auditRecordedSchema,
  clickSchema,
  domainRecordSchema,
  leadCreatedSchema,
  obj,
  routeLeftSchema,
  routeSchema,
  saleCreatedSchema,
  type DomainDeleted,
  type DomainUpserted,
  type LinkUpserted,
} from './contracts';

const uuid = Joi.string().guid();

export const TOPICS = {
  links: {
    name: 'links.v1',
    /**
     * Compacted and keyed by route id (the short id on the default domain, `<domain>/<key>` on a
     * branded one): the latest event per route rebuilds every route.
     */
    compacted: true,
    events: {
      'link.upserted': obj<LinkUpserted>({ route: routeSchema.required() }),
      'link.deleted': routeLeftSchema,
      /** The link left this route (PUT changed its domain or key); its new route comes as link.upserted. */
      'link.moved': routeLeftSchema,
    },
  },
  domains: {
    name: 'domains.v1',
    /** Compacted and keyed by domain name: the latest event per name tells whether the redirector serves it. */
    compacted: true,
    events: {
      /** The domain is verified (or its settings changed): the redirector serves it. */
      'domain.upserted': obj<DomainUpserted>({ domain: domainRecordSchema.required() }),
      /** Deleted: the redirector stops serving it. */
      'domain.deleted': obj<DomainDeleted>({ name: Joi.string().max(253).required(), version: Joi.number().integer().required() }),
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
      'lead.created': leadCreatedSchema,
      'sale.created': saleCreatedSchema,
    },
  },
  catalog: {
    name: 'catalog.v1',
    compacted: false,
    events: {
      'tag.deleted': obj<{ tagId: string }>({ tagId: uuid.required() }),
      'collection.deleted': obj<{ collectionId: string }>({ collectionId: uuid.required() }),
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
/** The data of a topic's event type, as its schema types it (contracts.ts). */
export type EventData<K extends TopicKey, T extends EventType<K>> = (typeof TOPICS)[K]['events'][T] extends Joi.ObjectSchema<infer D> ? D : never;
/** A validated event of a topic: a union over its types, so that testing `type` gives `data` its type. */
export type TopicEvent<K extends TopicKey> = K extends TopicKey ? { [T in EventType<K>]: EventEnvelope<T, EventData<K, T>> }[EventType<K>] : never;
/** Every event type of every topic (names are unique across topics). */
export type KnownEventType = { [K in TopicKey]: EventType<K> }[TopicKey];
/** The data of an event type, whatever its topic. */
export type DataOfType<T extends KnownEventType> = { [K in TopicKey]: T extends EventType<K> ? EventData<K, T> : never }[TopicKey];

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
export function validateEvent<K extends TopicKey>(topic: K, event: unknown): TopicEvent<K> {
  if (fastCheck(topic, (event as { type?: unknown } | null)?.type)?.(event)) return event as TopicEvent<K>;
  return validateEventWithJoi(topic, event);
}

/** The contract itself: joi's verdict and value (validateEvent asks it whenever the compiled check does not accept). */
export function validateEventWithJoi<K extends TopicKey>(topic: K, event: unknown): TopicEvent<K> {
  const envelope = envelopeSchema.validate(event, { allowUnknown: true });
  if (envelope.error) throw new InvalidEventError(TOPICS[topic].name, envelope.error.message);
  const value = envelope.value as EventEnvelope;
  const dataSchema = dataSchemaOf(topic, value.type);
  if (!dataSchema) throw new InvalidEventError(TOPICS[topic].name, `unknown event type ${value.type}`);
  const data = dataSchema.validate(value.data);
  if (data.error) throw new InvalidEventError(TOPICS[topic].name, `${value.type}: ${data.error.message}`);
  return { ...value, data: data.value as unknown } as TopicEvent<K>;
}
