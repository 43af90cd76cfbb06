import Ajv, { type ValidateFunction } from 'ajv';
import type Joi from 'joi';

/**
 * A fast first check of events, compiled (ajv) from the joi schemas that stay the contract.
 *
 * joi costs tens of µs per event, more than everything else a busy consumer does with it. The
 * compiled check accepts a strict subset of what joi accepts: only values that joi would accept
 * and return unchanged (canonical ISO dates, dashed UUIDs, no value joi would convert or default).
 * Whatever it does not accept goes to joi, which alone decides and reports errors. A joi rule it
 * does not know compiles to "never accept", so a new rule in a schema can slow events down but
 * never let a wrong one through.
 */

type JsonSchema = boolean | Record<string, unknown>;

interface Description {
  type: string;
  flags?: Record<string, unknown>;
  rules?: { name: string; args?: { limit?: number } }[];
  allow?: unknown[];
  keys?: Record<string, Description>;
  patterns?: { schema?: Description; rule: Description }[];
}

const KNOWN_FLAGS = new Set(['presence', 'unknown', 'only', 'default']);
const CANONICAL_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DASHED_UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** What joi's isoDate() accepts and returns unchanged (it converts other forms to this one). */
export function isCanonicalIsoDate(value: string): boolean {
  if (!CANONICAL_DATE.test(value)) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value;
}

function stringSchema(d: Description): JsonSchema {
  // joi refuses '' unless allowed, and counts lengths in UTF-16 units (ajv's minLength counts code points)
  const length = { min: 1, max: Number.MAX_SAFE_INTEGER };
  const schema: Record<string, unknown> = { type: 'string', utf16Length: length };
  for (const rule of d.rules ?? []) {
    const limit = rule.args?.limit;
    if (rule.name === 'min' && limit !== undefined) length.min = Math.max(1, limit);
    else if (rule.name === 'max' && limit !== undefined) length.max = limit;
    else if (rule.name === 'length' && limit !== undefined) Object.assign(length, { min: limit, max: limit });
    else if (rule.name === 'guid') schema.pattern = DASHED_UUID;
    else if (rule.name === 'isoDate') schema.format = 'canonical-iso-date';
    else return false;
  }
  return schema;
}

function numberSchema(d: Description): JsonSchema {
  // joi refuses numbers beyond the safe integer range by default
  const schema: Record<string, unknown> = { type: 'number', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
  for (const rule of d.rules ?? []) {
    const limit = rule.args?.limit;
    if (rule.name === 'integer') schema.type = 'integer';
    else if (rule.name === 'min' && limit !== undefined) schema.minimum = Math.max(limit, -Number.MAX_SAFE_INTEGER);
    else if (rule.name === 'max' && limit !== undefined) schema.maximum = Math.min(limit, Number.MAX_SAFE_INTEGER);
    else return false;
  }
  return schema;
}

function objectSchema(d: Description, unknownKeys: boolean): JsonSchema {
  if (d.rules?.length) return false;
  const keys = d.keys ?? {};
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, child] of Object.entries(keys)) {
    properties[key] = toJsonSchema(child);
    // a missing key with a default would come back from joi with it: only joi handles that
    if (child.flags?.presence === 'required' || child.flags?.default !== undefined) required.push(key);
  }
  const schema: Record<string, unknown> = { type: 'object', properties, required };
  const patterns = d.patterns ?? [];
  if (patterns.length > 1 || (patterns.length === 1 && Object.keys(keys).length)) return false;
  if (patterns.length === 1) {
    const [{ schema: keySchema, rule }] = patterns;
    if (!keySchema) return false;
    schema.propertyNames = toJsonSchema(keySchema);
    schema.additionalProperties = toJsonSchema(rule);
  } else {
    // Joi.object() without keys takes any keys; with keys, only those unless unknown(true)
    schema.additionalProperties = !d.keys || unknownKeys || d.flags?.unknown === true;
  }
  return schema;
}

/** The strict JSON schema of a joi description (see the module comment). */
function toJsonSchema(d: Description, unknownKeys = false): JsonSchema {
  if (Object.keys(d.flags ?? {}).some((flag) => !KNOWN_FLAGS.has(flag))) return false;
  const allowed = d.allow ?? [];
  if (d.flags?.only) return { enum: allowed };
  let schema: JsonSchema;
  if (d.type === 'string') schema = stringSchema(d);
  else if (d.type === 'number') schema = numberSchema(d);
  else if (d.type === 'boolean') schema = d.rules?.length ? false : { type: 'boolean' };
  else if (d.type === 'object') schema = objectSchema(d, unknownKeys);
  else schema = false;
  return allowed.length ? { anyOf: [{ enum: allowed }, schema] } : schema;
}

const ajv = new Ajv({ strict: false, allErrors: false, addUsedSchema: false });
ajv.addFormat('canonical-iso-date', { type: 'string', validate: isCanonicalIsoDate });
ajv.addKeyword({
  keyword: 'utf16Length',
  type: 'string',
  schemaType: 'object',
  compile: ({ min, max }: { min: number; max: number }) => (value: string) => value.length >= min && value.length <= max,
});

/**
 * The fast check of one event type: `envelope` validated as joi does with allowUnknown (unknown
 * envelope keys kept), its `data` replaced by `data`, and `type` fixed.
 */
export function compileEventCheck(envelope: Joi.Schema, type: string, data: Joi.Schema): ValidateFunction {
  const schema = toJsonSchema(envelope.describe() as Description, true) as Record<string, unknown>;
  const properties = { ...(schema.properties as Record<string, JsonSchema>), type: { const: type }, data: toJsonSchema(data.describe() as Description) };
  return ajv.compile({ ...schema, properties });
}
