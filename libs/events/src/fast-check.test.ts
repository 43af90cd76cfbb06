import { isDeepStrictEqual } from 'node:util';
import Joi from 'joi';
import { envelopeSchema } from './envelope';
import { compileEventCheck, isCanonicalIsoDate } from './fast-check';
import { TOPICS, validateEvent, validateEventWithJoi, type TopicKey } from './topics';

const id = (n: number) => `6f1c1c3e-4f7b-4a51-9d2a-3b8b0f3c0a${String(n).padStart(2, '0')}`;
const at = '2030-01-01T12:00:00.000Z';
const route = {
  linkId: id(1),
  shortId: 'abc',
  workspaceId: id(2),
  url: 'https://dest.example/',
  utm: { source: 'nl', medium: null },
  params: { ref: 'x', empty: '' },
  redirectType: 302,
  active: true,
  expiresAt: '2031-06-30T00:00:00.000Z',
  cloaked: false,
  hideReferrer: false,
  geo: { DE: 'https://dest.example/de' },
  partnerId: null,
  tenantId: '',
  externalId: 'ext-1',
  title: 'Title',
  version: 1_700_000_000_000,
};
const conversion = {
  customerId: id(3),
  customerExternalId: 'cust-1',
  clickId: 'V1StGXR8_Z5jdHi6B-myT',
  linkId: id(1),
  partnerId: id(4),
  eventName: 'Sign up',
  metadata: { plan: 'pro' },
  timestamp: at,
};

/** One event of every type, shaped as the producers make them. */
const SAMPLES: [TopicKey, string, Record<string, unknown>][] = [
  ['links', 'link.upserted', { route }],
  ['links', 'link.deleted', { linkId: id(1), shortId: 'abc', version: 2 }],
  [
    'clicks',
    'click.recorded',
    {
      clickId: 'V1StGXR8_Z5jdHi6B-myT',
      linkId: id(1),
      workspaceId: id(2),
      shortId: 'abc',
      partnerId: null,
      tenantId: null,
      externalId: null,
      destination: 'https://dest.example/?hoko_id=V1StGXR8_Z5jdHi6B-myT',
      referrer: null,
      userAgent: 'Mozilla/5.0',
      ipHash: 'h',
      country: 'DE',
      city: null,
      qr: false,
      bot: false,
      visitorId: 'v',
      visitorSessionId: null,
      utm: { source: 'nl' },
      requestUtm: null,
      trigger: 'link',
      timestamp: at,
    },
  ],
  ['conversions', 'lead.created', { leadId: id(5), ...conversion }],
  ['conversions', 'sale.created', { saleId: id(6), ...conversion, amount: 4_999, currency: 'EUR' }],
  ['catalog', 'tag.deleted', { tagId: id(7) }],
  ['catalog', 'collection.deleted', { collectionId: id(8) }],
  [
    'audit',
    'audit.recorded',
    {
      actor: { type: 'key', id: id(5), label: 'hop_abcdefgh' },
      action: 'domain.deleted',
      target: { type: 'domain', id: 'go.example.com' },
      details: { host: 'go.example.com' },
      ip: '203.0.113.9',
    },
  ],
];

const envelope = (type: string, data: unknown) => ({ id: 'evt-1', type, occurredAt: at, workspaceId: id(2), data });

/** joi's value, or undefined when joi refuses the event. */
function joiValue(topic: TopicKey, event: unknown): unknown {
  try {
    return validateEventWithJoi(topic, event);
  } catch {
    return undefined;
  }
}

// What the fuzzer puts in place of a value: joi converts, defaults or refuses many of them.
const REPLACEMENTS: unknown[] = [
  null,
  '',
  ' ',
  0,
  -1,
  1.5,
  2 ** 60,
  true,
  'true',
  '302',
  [],
  {},
  { extra: 1 },
  'x'.repeat(5_000),
  // longer than a max in UTF-16 units (what joi counts), not in code points
  '😀'.repeat(33),
  `${'x'.repeat(4_095)}😀`,
  'é',
  'DE',
  'link',
  'qr',
  'bogus',
  at,
  '2030-01-01T12:00:00Z',
  '2030-01-01T12:00:00.000+00:00',
  '2030-01-01',
  '2030-02-30T12:00:00.000Z',
  '2030-13-01T12:00:00.000Z',
  id(9),
  id(9).toUpperCase(),
  `{${id(9)}}`,
  id(9).replace(/-/g, ''),
  `${id(9)}0`,
];

/** A seeded generator, so that a failure is reproducible. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
}

/** Every object inside `value` (itself included), to pick one to mutate. */
function objectsIn(value: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    found.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) objectsIn(child, found);
  }
  return found;
}

describe('compiled event check', () => {
  it.each(SAMPLES)('takes the fast path for producer-shaped %s %s events, which joi accepts unchanged', (topic, type, data) => {
    const event = envelope(type, data);
    const check = compileEventCheck(envelopeSchema, type, TOPICS[topic].events[type as never]);
    expect(check(event)).toBe(true);
    expect(joiValue(topic, structuredClone(event))).toEqual(event);
  });

  /** Asserts the one property that matters: what the check accepts, joi accepts and returns unchanged. */
  function expectSafe(topic: TopicKey, check: (event: unknown) => boolean, event: unknown): boolean {
    if (!check(event)) return false;
    expect({ event, joi: joiValue(topic, structuredClone(event)) }).toEqual({ event, joi: event });
    return true;
  }

  it.each(SAMPLES)('never accepts a %s %s event that joi would refuse or change (every field, every value)', (topic, type, data) => {
    const check = compileEventCheck(envelopeSchema, type, TOPICS[topic].events[type as never]);
    const sample = envelope(type, data);
    let accepted = 0;
    let refused = 0;
    const paths = objectsIn(sample).length;
    for (let o = 0; o < paths; o++) {
      for (const key of [...Object.keys(objectsIn(sample)[o]), 'unknownKey']) {
        for (const replacement of [undefined, ...REPLACEMENTS]) {
          const event = structuredClone(sample);
          const target = objectsIn(event)[o];
          if (replacement === undefined) delete target[key];
          else target[key] = structuredClone(replacement);
          if (expectSafe(topic, check, event)) accepted++;
          else refused++;
        }
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it.each(SAMPLES)('never accepts a %s %s event that joi would refuse or change (random mutations)', (topic, type, data) => {
    const check = compileEventCheck(envelopeSchema, type, TOPICS[topic].events[type as never]);
    const pick = random(topic.length * 7_919 + type.length);
    let accepted = 0;
    for (let i = 0; i < 2_000; i++) {
      const event = structuredClone(envelope(type, data)) as Record<string, unknown>;
      for (let m = 2 + pick(3); m > 0; m--) {
        const objects = objectsIn(event);
        const target = objects[pick(objects.length)];
        const keys = Object.keys(target);
        const key = pick(5) === 0 || !keys.length ? `k${pick(3)}` : keys[pick(keys.length)];
        if (pick(6) === 0) delete target[key];
        else target[key] = structuredClone(REPLACEMENTS[pick(REPLACEMENTS.length)]);
      }
      if (expectSafe(topic, check, event)) accepted++;
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('leaves to joi what joi converts, so validateEvent still returns joi’s value', () => {
    const [, type, data] = SAMPLES[2];
    const event = envelope(type, { ...data, timestamp: '2030-01-01T12:00:00Z' });
    delete (event.data as Record<string, unknown>).trigger;
    const value = validateEvent('clicks', event);
    expect(value.data).toMatchObject({ timestamp: at, trigger: 'link' });
    expect(isDeepStrictEqual(value, event)).toBe(false);
  });

  it('reports refused events through joi', () => {
    expect(() => validateEvent('clicks', envelope('click.recorded', { clickId: '' }))).toThrow(/clicks\.v1/);
    expect(() => validateEvent('clicks', envelope('constructor', {}))).toThrow(/unknown event type/);
  });

  it('follows joi on unknown keys: refused where the schema lists its keys, unless it allows unknown ones', () => {
    const closed = compileEventCheck(envelopeSchema, 't', Joi.object({ a: Joi.string() }));
    const open = compileEventCheck(envelopeSchema, 't', Joi.object({ a: Joi.string() }).unknown(true));
    const anyKeys = compileEventCheck(envelopeSchema, 't', Joi.object());
    const event = { ...envelope('t', { a: 'x', b: 1 }), extraEnvelopeKey: true };
    expect([closed(event), open(event), anyKeys(event)]).toEqual([false, true, true]);
    expect(Joi.object({ a: Joi.string() }).validate(event.data).error).toBeDefined();
  });

  it('never accepts what it does not know how to check', () => {
    const check = compileEventCheck(envelopeSchema, 't', Joi.object({ a: Joi.string().email() }));
    expect(check(envelope('t', { a: 'someone@example.com' }))).toBe(false);
    expect(check(envelope('t', {}))).toBe(true);
  });

  it('knows the canonical ISO form joi returns', () => {
    expect(isCanonicalIsoDate(at)).toBe(true);
    expect(isCanonicalIsoDate('2030-02-30T12:00:00.000Z')).toBe(false);
    expect(isCanonicalIsoDate('2030-01-01T12:00:00Z')).toBe(false);
  });
});
