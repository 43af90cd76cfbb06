import { appendFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ERROR_TABLE, loadOpenApiDocument } from '@hop/http';

type JsonObject = Record<string, any>;

/**
 * Where the public API's document lives (base file + parts). The tests read the files, not a
 * build output, so a part added a minute ago is checked on the next test run.
 */
export const OPENAPI_DIR = path.resolve(__dirname, '..', '..', '..', 'services', 'gateway', 'openapi');

/** A response a test received, with the request that caused it. */
export interface Exchange {
  method: string;
  /** Path and query as sent. */
  url: string;
  requestHeaders: Record<string, string>;
  /** The request body as sent (a string), if any. */
  requestBody?: string;
  status: number;
  headers: Headers;
  /** The response body text. */
  body: string;
  /**
   * `gateway`: the answer came through the gateway, as a client gets it. `service`: a test called a
   * service directly, signed like the gateway; the headers the gateway adds are not expected then,
   * and a route the gateway would not forward is none of the document's business.
   */
  via: 'gateway' | 'service';
}

/** Header names any HTTP server may send that an API document need not name. */
const PLUMBING_HEADERS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'vary', 'etag']);
/** Headers only the gateway sets (answers straight from a service lack them). */
const GATEWAY_HEADERS = new Set(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']);
/** A response from a test's stand-in for a service: not a real answer, so not checked. */
export const STAND_IN_HEADER = 'x-hop-test-stand-in';
/** Hoko errors that mean "the request failed validation" (as opposed to lookups and conflicts). */
const VALIDATION_FAILURES = new Set([ERROR_TABLE.INVALID_REQUEST.en, ERROR_TABLE.INVALID_REQUEST_FORMAT.en]);

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

interface Located {
  node: JsonObject;
  /** JSON pointer of `node` in the document (after following `$ref`s). */
  pointer: string;
}

interface Operation extends Located {
  method: string;
  template: string;
  pathParams: Record<string, string>;
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const formatErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`).join('; ');

function parseJson(text: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (text === undefined || text === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * The public API's OpenAPI document as a checker of real exchanges: is the status documented for
 * the operation, are the documented headers sent (and nothing undocumented beyond HTTP plumbing),
 * is the body valid for that status (ajv, JSON Schema 2020-12: OpenAPI 3.1's dialect)? And the
 * other way round: a request the server refused as invalid must be refused by the document's
 * request schemas too, and a request it accepted must be accepted by them.
 */
export class ApiContract {
  private readonly ajv: Ajv2020;
  /** Same document, but parameters arrive as strings: coerce them as the services do. */
  private readonly coercing: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly routes: { regex: RegExp; template: string; names: string[] }[];

  constructor(readonly document: JsonObject) {
    const make = (coerce: boolean) => {
      const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes: coerce ? 'array' : false });
      addFormats(ajv);
      // the document is not a JSON Schema (parameters say `required: true`): fragments are compiled by pointer
      ajv.addSchema(document, 'openapi', undefined, false);
      return ajv;
    };
    this.ajv = make(false);
    this.coercing = make(true);
    this.routes = Object.keys(document.paths ?? {}).map((template) => {
      const names: string[] = [];
      const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      return { regex: new RegExp(`^${pattern}/?$`), template, names };
    });
  }

  /** Follows `$ref`s (OpenAPI references to responses, parameters, headers, request bodies). */
  private locate(node: JsonObject, pointer: string): Located {
    let at = { node, pointer };
    for (let hops = 0; typeof at.node.$ref === 'string'; hops++) {
      if (hops > 20 || !at.node.$ref.startsWith('#/')) throw new Error(`OpenAPI: cannot follow $ref ${at.node.$ref}`);
      const target = at.node.$ref.slice(1);
      const found = target
        .split('/')
        .slice(1)
        .map((s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<any>((n, key) => (n === undefined ? undefined : n[key]), this.document);
      if (found === undefined) throw new Error(`OpenAPI: $ref ${at.node.$ref} does not resolve`);
      at = { node: found, pointer: target };
    }
    return at;
  }

  private validator(pointer: string, coerce = false): ValidateFunction {
    const key = `${coerce}${pointer}`;
    let fn = this.compiled.get(key);
    if (!fn) {
      const ref = { $ref: `openapi#${pointer}` };
      fn = coerce
        ? this.coercing.compile({ type: 'object', properties: { value: ref } })
        : this.ajv.compile(ref);
      this.compiled.set(key, fn);
    }
    return fn;
  }

  /** Validates a parameter/header value given as a string (or strings), coerced like the services coerce. */
  private checkCoerced(pointer: string, value: string | string[]): string | null {
    const fn = this.validator(pointer, true);
    return fn({ value }) ? null : formatErrors(fn.errors).replace(/\/value/g, '');
  }

  /** The documented operation for a method and path, if any. */
  operation(method: string, urlPath: string): Operation | undefined {
    for (const route of this.routes) {
      const match = route.regex.exec(urlPath);
      if (!match) continue;
      const item = this.locate(this.document.paths[route.template], `/paths/${escapePointer(route.template)}`);
      const lower = method.toLowerCase();
      if (!HTTP_METHODS.includes(lower) || !item.node[lower]) return undefined;
      const pathParams = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
      return { node: item.node[lower], pointer: `${item.pointer}/${lower}`, method: lower, template: route.template, pathParams };
    }
    return undefined;
  }

  /** The response the document gives for an unknown route under `urlPath`'s API (`x-hop-unknown-route`). */
  private unknownRouteResponse(urlPath: string): Located | undefined {
    const prefixes: JsonObject = this.document['x-hop-unknown-route'] ?? {};
    const prefix = Object.keys(prefixes)
      .filter((p) => urlPath === p || urlPath.startsWith(`${p}/`))
      .sort((a, b) => b.length - a.length)[0];
    return prefix === undefined ? undefined : this.locate(prefixes[prefix], `/x-hop-unknown-route/${escapePointer(prefix)}`);
  }

  /** Why the document refuses this request (empty when it accepts it). */
  requestRefusals(op: Operation, exchange: Pick<Exchange, 'url' | 'requestHeaders' | 'requestBody'>): string[] {
    const refusals: string[] = [];
    const url = new URL(exchange.url, 'http://contract');
    const query = new Map<string, string[]>();
    url.searchParams.forEach((value, name) => query.set(name, [...(query.get(name) ?? []), value]));
    const headers = new Map(Object.entries(exchange.requestHeaders).map(([k, v]) => [k.toLowerCase(), v]));
    const parameters: JsonObject[] = op.node.parameters ?? [];
    const declared = new Set<string>();
    parameters.forEach((raw, i) => {
      const param = this.locate(raw, `${op.pointer}/parameters/${i}`);
      const { name, in: where, required, schema } = param.node;
      if (!schema) return;
      declared.add(`${where}:${name}`);
      let value: string | string[] | undefined;
      if (where === 'query') {
        const values = query.get(name);
        value = values && (this.locate(schema, `${param.pointer}/schema`).node.type === 'array' ? values : values.length === 1 ? values[0] : values);
      } else if (where === 'header') value = headers.get(String(name).toLowerCase());
      else if (where === 'path') value = op.pathParams[name];
      if (value === undefined) {
        if (required) refusals.push(`${where} parameter ${name} is required`);
        return;
      }
      const problem = this.checkCoerced(`${param.pointer}/schema`, value);
      if (problem) refusals.push(`${where} parameter ${name}: ${problem}`);
    });
    // Hoko's routes refuse query parameters they do not know; the peers' adapters ignore them, as the peers do
    if (!op.node['x-hop-ignores-unknown-query']) {
      for (const name of query.keys()) {
        if (!declared.has(`query:${name}`)) refusals.push(`query parameter ${name} is not documented`);
      }
    }
    if (op.node.requestBody) {
      const requestBody = this.locate(op.node.requestBody, `${op.pointer}/requestBody`);
      const parsed = parseJson(exchange.requestBody);
      if (!parsed.ok) refusals.push('body is not JSON');
      else if (parsed.value === undefined) {
        if (requestBody.node.required) refusals.push('a body is required');
      } else {
        const fn = this.validator(`${requestBody.pointer}/content/application~1json/schema`);
        if (!fn(parsed.value)) refusals.push(`body ${formatErrors(fn.errors)}`);
      }
    }
    return refusals;
  }

  /** What the document says is wrong with this exchange (empty when it describes it exactly). */
  check(exchange: Exchange): string[] {
    const urlPath = new URL(exchange.url, 'http://contract').pathname;
    const op = this.operation(exchange.method, urlPath);
    if (!op) {
      if (exchange.via === 'service') return [];
      const unknown = this.unknownRouteResponse(urlPath);
      if (!unknown) return [];
      if (exchange.status !== 404) return [`${exchange.method} ${urlPath} is not in the document, yet answered ${exchange.status} (expected 404)`];
      return this.checkResponse(unknown, exchange);
    }
    const responses: JsonObject = op.node.responses ?? {};
    const key = [String(exchange.status), `${String(exchange.status)[0]}XX`, 'default'].find((k) => k in responses);
    if (!key) return [`status ${exchange.status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
    const problems = this.checkResponse(this.locate(responses[key], `${op.pointer}/responses/${key}`), exchange);
    problems.push(...this.checkRequestAgainstOutcome(op, exchange));
    return problems;
  }

  /** A request the server accepted must pass the document's request schemas; one it refused as invalid must fail them. */
  private checkRequestAgainstOutcome(op: Operation, exchange: Exchange): string[] {
    const refusals = this.requestRefusals(op, exchange);
    if (exchange.status >= 200 && exchange.status < 300 && refusals.length) {
      return [`the server accepted a request the document refuses: ${refusals.join('; ')}`];
    }
    if (this.refusedAsInvalid(exchange) && !refusals.length && !this.onlyServerChecks(op, exchange)) {
      return [`the server refused the request as invalid (${exchange.body.slice(0, 300)}) but the document's request schema accepts it`];
    }
    return [];
  }

  /**
   * Whether every field a 400 names is one the operation lists in `x-hop-server-checks`: rules JSON
   * Schema cannot state (a size once serialised, the time zone database, an id repeated across items; `*`: a rule on several parameters together).
   */
  private onlyServerChecks(op: Operation, exchange: Exchange): boolean {
    const checked: string[] = op.node['x-hop-server-checks'] ?? [];
    const parsed = parseJson(exchange.body);
    const details: JsonObject[] = parsed.ok && parsed.value && typeof parsed.value === 'object' ? ((parsed.value as JsonObject).details ?? []) : [];
    return details.length > 0 && details.every((detail) => checked.includes(detail.field || '*'));
  }

  /** A 400 meaning "this request is malformed" in the API's own error shape (not a failed lookup or a conflict). */
  private refusedAsInvalid(exchange: Exchange): boolean {
    if (exchange.status !== 400) return false;
    const parsed = parseJson(exchange.body);
    const body: JsonObject = parsed.ok && parsed.value && typeof parsed.value === 'object' ? (parsed.value as JsonObject) : {};
    if (typeof body.error?.en === 'string') return VALIDATION_FAILURES.has(body.error.en);
    if (typeof body.error_code === 'string') return body.error_code.startsWith('invalid_');
    return body.success === false;
  }

  private checkResponse(response: Located, exchange: Exchange): string[] {
    const problems: string[] = [];
    const documented = new Map<string, Located>();
    for (const [name, header] of Object.entries<JsonObject>(response.node.headers ?? {})) {
      documented.set(name.toLowerCase(), this.locate(header, `${response.pointer}/headers/${escapePointer(name)}`));
    }
    for (const [name, header] of documented) {
      const value = exchange.headers.get(name);
      if (value === null) {
        const addedLater = exchange.via === 'service' && GATEWAY_HEADERS.has(name);
        if (header.node.required && !addedLater) problems.push(`header ${name} is documented as always sent but is missing`);
        continue;
      }
      if (header.node.schema) {
        const problem = this.checkCoerced(`${header.pointer}/schema`, value);
        if (problem) problems.push(`header ${name}: ${problem}`);
      }
    }
    exchange.headers.forEach((_value, name) => {
      if (!PLUMBING_HEADERS.has(name) && !documented.has(name)) problems.push(`header ${name} is sent but not documented for this status`);
    });

    const content: JsonObject | undefined = response.node.content;
    if (!content) {
      if (exchange.body !== '') problems.push('a body was sent where the document describes none');
      return problems;
    }
    const mediaType = (exchange.headers.get('content-type') ?? '').split(';')[0].trim();
    if (!(mediaType in content)) return [...problems, `content type "${mediaType}" is not documented (documented: ${Object.keys(content).join(', ')})`];
    if (!content[mediaType].schema) return problems;
    const schemaPointer = `${response.pointer}/content/${escapePointer(mediaType)}/schema`;
    if (mediaType !== 'application/json') return problems;
    const parsed = parseJson(exchange.body);
    if (!parsed.ok) return [...problems, 'the body is not JSON'];
    const fn = this.validator(schemaPointer);
    if (!fn(parsed.value)) problems.push(`body ${formatErrors(fn.errors)}`);
    return problems;
  }
}

let shared: ApiContract | undefined;
/** The contract of the public API's current document (read once per test file). */
export function apiContract(): ApiContract {
  shared ??= new ApiContract(loadOpenApiDocument(OPENAPI_DIR));
  return shared;
}

/** Where each test process appends one line per checked response (set by the jest global setup). */
export const CONTRACT_TALLY_ENV = 'HOP_CONTRACT_TALLY';

/**
 * Checks an exchange against the document and throws, naming method, path, status and every
 * problem, when the document does not describe it. Answers of a test's stand-in services are not
 * checked (they are not the real API).
 */
export function assertDocumented(exchange: Exchange): void {
  if (exchange.headers.has(STAND_IN_HEADER)) return;
  const problems = apiContract().check(exchange);
  const tally = process.env[CONTRACT_TALLY_ENV];
  if (tally) appendFileSync(tally, `${problems.length ? 'fail' : 'ok'} ${exchange.method} ${new URL(exchange.url, 'http://contract').pathname} ${exchange.status}\n`);
  if (problems.length) {
    throw new Error(
      `OpenAPI contract: ${exchange.method} ${exchange.url} → ${exchange.status} is not what the document describes:\n  - ${problems.join('\n  - ')}\n  body: ${exchange.body.slice(0, 500)}`,
    );
  }
}

/**
 * A fetch that checks every answer against the API document (see `assertDocumented`). The
 * one place tests talk to the public API through: gateway harness, signed service calls, SDK.
 */
export function contractFetch(via: Exchange['via'], fetchImpl: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const requestBody = request.body ? await request.clone().text() : undefined;
    const response = await fetchImpl(request);
    const body = await response.clone().text();
    const url = new URL(request.url);
    const requestHeaders: Record<string, string> = {};
    request.headers.forEach((value, name) => (requestHeaders[name] = value));
    assertDocumented({
      method: request.method,
      url: url.pathname + url.search,
      requestHeaders,
      requestBody,
      status: response.status,
      headers: response.headers,
      body,
      via,
    });
    return response;
  };
}
