// Property-based fuzzing of the whole HTTP API. The real gateway (SQLite in a temp dir, the sandbox network, one
// session waiting for its QR, one linked to a sandbox account that is admin of two groups) is driven with requests
// generated from the OpenAPI document it serves at /docs/json. Every operation gets RUNS_PER_OPERATION requests,
// half of them wild (any field may hold anything: wrong types, huge/negative/non-finite numbers, arrays and objects
// for scalars, unicode, very long strings, malformed JSON, other content types, every kind of credential) and half
// plausible (values that fit the schema or name the real sessions and groups, now and then one bad value), so
// requests also reach the session, group and WhatsApp checks. What must hold for each answer:
// - never a 5xx, except 501 NOT_IMPLEMENTED for WARest actions not built yet (and no 503: the database is up);
// - every error is in the envelope `{status:false, code, message, results:[]}` with a code from the table whose
//   HTTP status is the answer's, or one of the documented auth bodies (WARest `{error}`, Wawp token failures), or
//   Wawp's `{status, message, error}` on /v2 routes; every JSON answer under /api/v1 is an envelope;
// - an answer within REQUEST_TIMEOUT_MS, and nothing logged as an unhandled error.
// Plus the raw-socket cases no client library sends: a 20 KB header, a malformed request line, a body cut off.
// Fixed seed and count, so CI runs are reproducible. Knobs: FUZZ_SEED, FUZZ_RUNS (per operation), FUZZ_BUDGET_MS,
// FUZZ_VERBOSE=1 (every answer, with its timing).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { APP_CODES } from '../../src/core/errors.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { ApiClient, TestDatabase, TestSandbox, gatewayEnv, linkSession } from '../support/gateway-harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_204);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 40);
/** Longer than any answer should take (the engine's own command timeout is 30 s): a hang is reported as one. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Past this, the remaining operations are skipped and the run fails with what it found (hangs add up). */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 150_000);

// ---------------------------------------------------------------------------------------------------------------
// The OpenAPI document, as @fastify/swagger renders it

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  nullable?: boolean;
}

interface Parameter {
  in: 'query' | 'path' | 'header';
  name: string;
  schema?: Schema;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
}

interface Route {
  method: string;
  path: string;
  name: string;
  query: Parameter[];
  pathParams: Parameter[];
  body: Schema | undefined;
}

function routesOf(doc: OpenApi): Route[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      name: `${method.toUpperCase()} ${path}`,
      query: (op.parameters ?? []).filter((p) => p.in === 'query'),
      pathParams: (op.parameters ?? []).filter((p) => p.in === 'path'),
      body: op.requestBody?.content?.['application/json']?.schema ?? (op.requestBody ? {} : undefined),
    })),
  );
}

/** Integer schemas without both bounds (a union such as `string | integer` is parsed by its route and skipped). */
function unboundedIntegers(node: unknown, path: string, inUnion = false): string[] {
  if (node === null || typeof node !== 'object') return [];
  const schema = node as Schema & Record<string, unknown>;
  const here = schema.type === 'integer' && !inUnion && (schema.minimum === undefined || schema.maximum === undefined) ? [path] : [];
  return [
    ...here,
    ...Object.entries(schema).flatMap(([key, child]) =>
      Array.isArray(child)
        ? child.flatMap((item, i) => unboundedIntegers(item, `${path}/${key}/${i}`, key === 'anyOf' || key === 'oneOf'))
        : unboundedIntegers(child, `${path}/${key}`),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** A JSON number token JSON.stringify cannot write (1e309 parses to Infinity). */
class RawToken {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}
const raw = (text: string) => new RawToken(text);

function toJson(value: unknown): string {
  if (value instanceof RawToken) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).map((key) => `${JSON.stringify(key)}:${toJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const LONG = fc.constantFrom('x'.repeat(5_000), 'é'.repeat(3_000), '😀'.repeat(2_000), `${'9'.repeat(400)}`);
const NASTY_STRINGS = fc.constantFrom(
  'Infinity', '-Infinity', 'NaN', '1e309', '-1e309', '1e300', '9007199254740993', '-1', '0', '', ' ', '0x10', '1_000',
  'null', 'true', 'undefined', '[]', '{}', '__proto__', 'constructor', '../../etc/passwd', '\u0000', '%00', '%E0%A4%A',
  'a\r\nx-injected: 1', '<script>', "' OR 1=1 --", '\u202e\u0301', 'ﷺ', '\ud83d', 'ＡＢＣ',
);
const NASTY_NUMBERS = fc.constantFrom<unknown>(
  0, -1, 1.5, -0.000001, 2 ** 31, 2 ** 53 + 2, -(2 ** 60), 1e300, Number.MAX_VALUE, Number.MIN_VALUE,
  raw('1e309'), raw('-1e309'), raw('1e-400'), raw('-0'), raw('123456789012345678901234567890'),
);
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 2 },
  { arbitrary: fc.boolean(), weight: 2 },
  { arbitrary: NASTY_NUMBERS, weight: 4 },
  { arbitrary: fc.integer(), weight: 2 },
  { arbitrary: fc.double(), weight: 2 },
  { arbitrary: NASTY_STRINGS, weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 2 },
  { arbitrary: LONG, weight: 1 },
);
/** Anything at all: scalars, lists and objects, nested a little. */
const anything: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), NASTY_STRINGS), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const QR_SESSION = 'fuzz-main';
const LINKED_SESSION = 'fuzz-linked';
const LINKED_PHONE = '15550001111';
const MEMBER_PHONE = '15550002222';
const OTHER_PHONE = '15550003333';
/** What the setup created, for the pools. */
const fixture = { groups: [] as string[] };

/**
 * How a request is generated. Wild: any field may hold anything. Plausible: fields hold values that fit their
 * schema or name a real thing (the session fuzz-main, a group id…), and alias fields are mostly left out, so the
 * request gets past validation into the session, group and engine checks.
 */
interface Mode {
  wild: boolean;
  /** the operation may delete or log out the session it names: fuzz-main is kept out of it */
  destructive: boolean;
}

/** Alias fields (and phone, which names the session too on group routes): a plausible request rarely sends them. */
const ALIASES = new Set(['sessionid', 'id', 'session', 'phone', 'number', 'user', 'msisdn', 'phonenumber', 'gid', 'group', 'link', 'code', 'pair', 'pairPhone', 'group_id']);

/** Values that get requests past the first checks, by field name. */
function poolFor(name: string, mode: Mode): unknown[] {
  const lower = name.toLowerCase();
  if (['sessionid', 'id', 'session', 'instance_id'].includes(lower)) {
    if (mode.destructive) return ['ghost', 'fuzz-spare'];
    return mode.wild ? [QR_SESSION, LINKED_SESSION, 'ghost', 'sess-1'] : [QR_SESSION, LINKED_SESSION, LINKED_SESSION];
  }
  if (['groupid', 'gid', 'group', 'group_id'].includes(lower)) return [...fixture.groups, ...fixture.groups.map((g) => g.replace('@g.us', '')), '120363000000000001@g.us', '15550001111@s.whatsapp.net', 'x@g.us'];
  if (['phone', 'number', 'user', 'msisdn', 'phonenumber', 'pair', 'pairphone'].includes(lower)) return [LINKED_PHONE, MEMBER_PHONE, '+1 555 000 1111', Number(MEMBER_PHONE)];
  if (lower === 'participants') return [[MEMBER_PHONE], [MEMBER_PHONE, `${OTHER_PHONE}@s.whatsapp.net`], `${MEMBER_PHONE},${OTHER_PHONE}`, ['1@lid'], [Number(OTHER_PHONE)], ['15559999999']];
  if (['invitelink', 'link', 'code'].includes(lower)) return ['https://chat.whatsapp.com/ABCDEFGHIJKLMNOPQRSTUV', 'ABCDEFGHIJKLMNOPQRSTUV'];
  if (['picture', 'url', 'webhookurl'].includes(lower)) return ['http://127.0.0.1:1/x.png', 'data:image/png;base64,iVBORw0KGgo=', 'file:///etc/passwd', 'ftp://x'];
  if (lower === 'schedule') return ['03:30', '24:00', '0', 0, 1];
  if (lower === 'timezone') return ['Europe/Paris', 'Not/AZone'];
  if (lower === 'events') return [['session.status'], ['nope']];
  return [];
}

/** Left out (undefined) or a value; plausible requests leave aliases out most of the time. */
function maybe(arbitrary: fc.Arbitrary<unknown>, name: string, mode: Mode): fc.Arbitrary<unknown> {
  const [absent, present] = mode.wild ? [1, 3] : ALIASES.has(name) ? [6, 1] : [1, 4];
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary, weight: present });
}

/** One bad value in an otherwise plausible request: the numbers and shapes a schema should refuse. */
const MUTANT = fc.oneof(
  { arbitrary: fc.constantFrom<unknown>('Infinity', '-Infinity', '1e309', '-1e309', raw('1e309'), raw('-1e309'), 'NaN', 1e300, -1, 2 ** 53 + 2), weight: 3 },
  { arbitrary: fc.constantFrom<unknown>(null, [], {}, [1, 2], { a: 1 }, '', true), weight: 2 },
  { arbitrary: NASTY_STRINGS, weight: 2 },
);

/**
 * A value for `schema`: one that fits it or one from the pool for its name; in wild mode often anything at all,
 * in plausible mode now and then one bad value (so a request may fail on that one field only).
 */
function valueFor(schema: Schema | undefined, name: string, mode: Mode, depth = 0): fc.Arbitrary<unknown> {
  const pool = poolFor(name, mode);
  return fc.oneof(
    { arbitrary: fitsSchema(schema ?? {}, name, mode, depth), weight: pool.length && !mode.wild ? 2 : 8 },
    ...(pool.length ? [{ arbitrary: fc.constantFrom(...pool), weight: 8 }] : []),
    mode.wild ? { arbitrary: depth < 2 ? anything : scalar, weight: 6 } : { arbitrary: MUTANT, weight: 1 },
  );
}

function fitsSchema(schema: Schema, name: string, mode: Mode, depth: number): fc.Arbitrary<unknown> {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length) return fc.oneof(...branches.map((branch) => fitsSchema({ ...schema, anyOf: undefined, oneOf: undefined, ...branch }, name, mode, depth)));
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      return fc
        .tuple(...properties.map(([key, child]) => maybe(valueFor(child, key, mode, depth + 1), key, mode)))
        .map((values) => Object.fromEntries(properties.flatMap(([key], i) => (values[i] === undefined ? [] : [[key, values[i]]]))));
    }
    case 'array':
      return fc.array(valueFor(schema.items, name, mode, depth + 1), { maxLength: 5 });
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -1_000_000;
      const max = schema.maximum ?? 1_000_000;
      // Numbers are where non-finite values slip through coercion: a third of plausible ones are bad.
      if (!mode.wild) {
        const bad = fc.constantFrom<unknown>('Infinity', '-Infinity', '1e309', '-1e309', raw('1e309'), raw('-1e309'), 'NaN', 1e300, min - 1, max + 1, 2 ** 53 + 2);
        return fc.oneof({ arbitrary: fc.integer({ min, max }), weight: 2 }, { arbitrary: bad, weight: 1 });
      }
      return fc.oneof(
        fc.integer({ min: Math.max(min - 2, Number.MIN_SAFE_INTEGER), max: Math.min(max + 2, Number.MAX_SAFE_INTEGER) }),
        fc.constantFrom<unknown>(min, max, max + 1, min - 1, raw('1e309'), raw('-1e309'), String(max), 'Infinity', '-Infinity', '1e309'),
      );
    }
    case 'boolean':
      return mode.wild ? fc.constantFrom<unknown>(true, false, 'true', 'yes', 1, 0, 'maybe') : fc.boolean();
    case 'string':
      if (!mode.wild) return fc.string({ minLength: 1, maxLength: 16 });
      return fc.oneof(
        fc.string({ maxLength: 24 }),
        fc.string({ unit: 'binary', maxLength: 24 }),
        ...(schema.maxLength ? [fc.constant('y'.repeat(schema.maxLength + 1))] : []),
      );
    default:
      return mode.wild ? scalar : fc.oneof(fc.string({ maxLength: 16 }), fc.integer(), fc.boolean());
  }
}

/** A query value as the URL carries it: text, a repeated parameter, or bracketed keys for an object. */
function queryPairs(name: string, value: unknown): [string, string][] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((item) => queryPairs(name, typeof item === 'object' && item !== null && !(item instanceof RawToken) ? JSON.stringify(item) : item));
  if (value instanceof RawToken) return [[name, value.text]];
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => queryPairs(`${name}[${key}]`, item));
  return [[name, String(value)]];
}

/** Percent-encoded, lone surrogates replaced (encodeURIComponent throws on them; a client cannot send them either). */
const encode = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

// ---------------------------------------------------------------------------------------------------------------
// Requests

interface Credentials {
  headers: Record<string, string>;
  query: [string, string][];
}

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

interface Keys {
  admin: string;
  user: string;
  token: string;
}

/** Every kind of credential; a session token never on a route that could delete or log out its session. */
function credentials(keys: Keys, destructive: boolean): fc.Arbitrary<Credentials> {
  const header = (headers: Record<string, string>): Credentials => ({ headers, query: [] });
  const token = destructive ? 'not-the-token' : keys.token;
  return fc.oneof(
    { arbitrary: fc.constant(header({ 'x-warest-api-key': keys.admin })), weight: 6 },
    { arbitrary: fc.constant(header({ 'x-warest-api-key': keys.user })), weight: 2 },
    { arbitrary: fc.constant(header({ authorization: `Bearer ${keys.admin}` })), weight: 1 },
    { arbitrary: fc.constant({ headers: {}, query: [['api_key', keys.admin]] as [string, string][] }), weight: 1 },
    { arbitrary: fc.constant({ headers: {}, query: [['instance_id', QR_SESSION], ['access_token', token]] as [string, string][] }), weight: 1 },
    { arbitrary: fc.constant(header({ 'access-token': token })), weight: 1 },
    { arbitrary: fc.constant({ headers: {}, query: [['api_key', keys.admin], ['api_key', keys.user]] as [string, string][] }), weight: 1 },
    { arbitrary: fc.constant(header({ 'x-warest-api-key': 'not-a-key' })), weight: 1 },
    { arbitrary: fc.constant(header({})), weight: 1 },
  );
}

const MALFORMED_BODIES = fc.constantFrom(
  '', '   ', '{', '{"a":', 'null', '[]', '"text"', '1e309', 'true', '{"a":1e309}', '{"a":-1e309,"b":[1e400]}',
  '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '\ufeff{}', '{"a":1,"a":2}', `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  `{"x":"${'z'.repeat(200_000)}"}`,
);
const CONTENT_TYPES = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'), weight: 8 },
  {
    arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', ''),
    weight: 1,
  },
);
const RAW_QUERY = fc.oneof(
  { arbitrary: fc.constant(''), weight: 12 },
  { arbitrary: fc.constantFrom('&', '%', '%E0%A4%A', 'a=%ZZ', '=x', '&&&', 'a[b]=1', '__proto__[x]=1'), weight: 3 },
  { arbitrary: fc.constant(`k=${'v'.repeat(20_000)}`), weight: 1 },
);

function requestFor(route: Route, keys: Keys): fc.Arbitrary<FuzzRequest> {
  const destructive = /delete|logout|token/i.test(route.path) || route.method === 'DELETE';
  return fc.boolean().chain((wild) => requestIn(route, keys, { wild, destructive }));
}

function requestIn(route: Route, keys: Keys, mode: Mode): fc.Arbitrary<FuzzRequest> {
  const pathValues = fc.tuple(...route.pathParams.map((p) => valueFor(p.schema, p.name, mode)));
  const queryValues = fc.tuple(...route.query.map((p) => maybe(valueFor(p.schema, p.name, mode), p.name, mode)));
  const extraQuery = mode.wild ? fc.array(fc.tuple(fc.oneof(NASTY_STRINGS, fc.string({ maxLength: 8 })), scalar), { maxLength: 2 }) : fc.constant<[string, unknown][]>([]);
  const body = route.body && route.method !== 'GET'
    ? fc.oneof(
        { arbitrary: valueFor(route.body, 'body', mode).map(toJson), weight: 6 },
        ...(mode.wild ? [{ arbitrary: anything.map(toJson), weight: 1 }, { arbitrary: MALFORMED_BODIES, weight: 2 }] : []),
      ).map((text) => text as string | undefined)
    : fc.constant<string | undefined>(undefined);
  const auth = mode.wild ? credentials(keys, mode.destructive) : fc.constant<Credentials>({ headers: { 'x-warest-api-key': keys.admin }, query: [] });
  const contentType = mode.wild ? CONTENT_TYPES : fc.constant('application/json');
  const rawQuery = mode.wild ? RAW_QUERY : fc.constant('');
  return fc
    .record({ auth, pathValues, queryValues, extraQuery, rawQuery, body, contentType })
    .map(({ auth, pathValues, queryValues, extraQuery, rawQuery, body, contentType }) => {
      let path = route.path;
      route.pathParams.forEach((param, i) => {
        const value = pathValues[i];
        const text = value instanceof RawToken ? value.text : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
        path = path.replace(`{${param.name}}`, encode(text));
      });
      const pairs: [string, string][] = [
        ...auth.query,
        ...route.query.flatMap((param, i) => queryPairs(param.name, queryValues[i])),
        ...extraQuery.flatMap(([name, value]) => queryPairs(name, value)),
      ];
      const query = [...pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`), ...(rawQuery ? [rawQuery] : [])].join('&');
      const headers: Record<string, string> = { ...auth.headers };
      if (body !== undefined && contentType) headers['content-type'] = contentType;
      return { method: route.method, url: `${path}${query ? `?${query}` : ''}`, headers, body };
    });
}

// ---------------------------------------------------------------------------------------------------------------
// What every answer must look like

const CODES = new Map(APP_CODES.map((entry) => [entry.code, entry]));
const AUTH_BODIES = [
  { error: 'Missing X-WAREST-API-KEY' },
  { error: 'Invalid X-WAREST-API-KEY' },
  { error: 'Admin only' },
  { status: 401, message: 'Invalid or Missing Access Token', error: 'invalid_access_token' },
  { status: 400, message: 'Missing Required Parameter(s)', error: 'invalid_instance' },
];

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

function isEnvelope(body: unknown): body is { status: boolean; code: number; message: string; results: unknown[] } {
  const b = body as Record<string, unknown>;
  return (
    b !== null && typeof b === 'object' && Object.keys(b).sort().join() === 'code,message,results,status' &&
    typeof b.status === 'boolean' && typeof b.code === 'number' && typeof b.message === 'string' && Array.isArray(b.results)
  );
}

/** Why `answer` breaks the rules, or undefined. */
function violation(route: Route, answer: Answer): string | undefined {
  const { status } = answer;
  const json = answer.contentType.includes('json') ? (() => {
    try {
      return JSON.parse(answer.text) as unknown;
    } catch {
      return undefined;
    }
  })() : undefined;
  if (status >= 500) {
    if (status === 501 && isEnvelope(json) && json.code === 8005) return undefined;
    return `${status} (a server error)`;
  }
  const wawp = route.path.startsWith('/v2/');
  if (status >= 400) {
    if (json === undefined) return `${status} without a JSON body`;
    // Headers too large are refused on the raw socket before any route is known: always the envelope.
    if (status === 431) return isEnvelope(json) && json.code === 2006 ? undefined : '431 not in the envelope with 2006';
    if ((status === 400 || status === 401 || status === 403) && AUTH_BODIES.some((body) => JSON.stringify(body) === JSON.stringify(json))) return undefined;
    if (wawp) {
      const b = json as Record<string, unknown>;
      const ok = b !== null && typeof b === 'object' && b.status === status && typeof b.message === 'string' && typeof b.error === 'string' && (b.code === undefined || CODES.has(b.code as number));
      return ok ? undefined : `${status} not in Wawp's shape`;
    }
    if (!isEnvelope(json)) return `${status} not in the envelope`;
    if (json.status !== false) return `${status} with status true`;
    const entry = CODES.get(json.code);
    if (!entry) return `${status} with unknown app code ${json.code}`;
    if (entry.status !== status) return `${status} with app code ${json.code} (${entry.name}, HTTP ${entry.status})`;
    return undefined;
  }
  if (!wawp && route.path.startsWith('/api/v1/') && json !== undefined) {
    if (!isEnvelope(json)) return `${status} JSON answer not in the envelope`;
    if (json.status !== (status < 300)) return `${status} with status ${json.status}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Raw sockets

function rawExchange(url: string, data: string, hangUpAfterMs?: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(data));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
    socket.on('close', () => resolve(received));
    if (hangUpAfterMs !== undefined) setTimeout(() => socket.destroy(), hangUpAfterMs);
  });
}

function parseRaw(text: string): { status: number; body: unknown } {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body: JSON.parse(body) };
}

// ---------------------------------------------------------------------------------------------------------------

describe('API fuzzing (real gateway, SQLite, sandbox network)', () => {
  let sb: TestSandbox;
  let db: TestDatabase;
  let gateway: RunningGateway;
  let keys: Keys;
  let doc: OpenApi;
  const logs: Record<string, unknown>[] = [];
  /** What escaped every handler in this process (the gateway's Baileys sockets included), e.g. a frame it cannot decode. */
  const escaped: string[] = [];
  const onEscaped = (err: unknown) => void escaped.push(String((err as Error)?.stack ?? err).split('\n').slice(0, 3).join(' | '));

  const send = async (request: FuzzRequest): Promise<Answer> => {
    const response = await fetch(`${gateway.url}${request.url}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const contentType = response.headers.get('content-type') ?? '';
    // A live event stream never ends: its status and headers are the answer.
    if (contentType.startsWith('text/event-stream')) {
      await response.body?.cancel();
      return { status: response.status, contentType, text: '' };
    }
    return { status: response.status, contentType, text: await response.text() };
  };

  before(async () => {
    process.on('unhandledRejection', onEscaped);
    process.on('uncaughtException', onEscaped);
    sb = await TestSandbox.start();
    db = await TestDatabase.create('sqlite');
    const admin = `admin-${randomBytes(12).toString('hex')}`;
    const config = loadConfig(gatewayEnv(db, sb, admin, { WAYGATE_WEBHOOK_ALLOW_PRIVATE: 'false', LOG_LEVEL: 'info' }), []);
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
    gateway = await startGateway({ config, network: { wsUrl: config.waWsUrl, trustRootHex: config.waTrustRoot }, logger, onRestartRequested: () => undefined });
    const api = new ApiClient(gateway.url, admin);
    const user = (await api.request('POST', '/api/v1/keys', { body: { name: 'fuzz-user' } })).body.results[0].key as string;
    const created = await api.request('GET', `/api/v1/session/create?sessionId=${QR_SESSION}`);
    assert.equal(created.status, 202, `${QR_SESSION} waits for its QR`);
    keys = { admin, user, token: created.body.results[0].accessToken as string };
    // A linked session, admin of two groups (one for changes, one it may leave or delete), so requests reach WhatsApp.
    for (const phone of [MEMBER_PHONE, OTHER_PHONE]) await sb.ok('POST', '/sandbox/v1/accounts', { phone, name: `User ${phone}` });
    await linkSession(api, sb, LINKED_SESSION, LINKED_PHONE);
    for (const groupName of ['Fuzz one', 'Fuzz two']) {
      const group = await api.request('POST', '/api/v1/group/create', { body: { sessionId: LINKED_SESSION, groupName, participants: [MEMBER_PHONE] } });
      assert.equal(group.status, 200, JSON.stringify(group.body));
      fixture.groups.push(group.body.results[0].groupId as string);
    }
    doc = (await api.request('GET', '/docs/json')).body as OpenApi;
  });

  after(async () => {
    process.off('unhandledRejection', onEscaped);
    process.off('uncaughtException', onEscaped);
    await gateway?.stop();
    await sb?.sandbox.stop();
    await db?.dispose();
  });

  it('documents a lower and an upper bound for every integer', () => {
    assert.deepEqual(unboundedIntegers(doc.paths, '#/paths'), []);
  });

  it(`answers every operation without a 5xx and with a well-formed error (seed ${SEED}, ${RUNS_PER_OPERATION} runs per operation)`, { timeout: BUDGET_MS + 60_000 }, async () => {
    const routes = routesOf(doc);
    assert.ok(routes.length >= 90, `the document lists the API (${routes.length} operations)`);
    const failures: string[] = [];
    const statuses = new Map<string, number>();
    const started = Date.now();
    let requests = 0;
    const slowest: { ms: number; what: string }[] = [];
    const skipped: string[] = [];
    for (const [index, route] of routes.entries()) {
      if (Date.now() - started > BUDGET_MS) {
        skipped.push(route.name);
        continue;
      }
      const result = await fc.check(
        fc.asyncProperty(requestFor(route, keys), async (request) => {
          requests++;
          const sent = Date.now();
          const answer = await send(request);
          const ms = Date.now() - sent;
          if (ms > (slowest.at(-1)?.ms ?? 0) || slowest.length < 5) {
            slowest.push({ ms, what: `${route.name} → ${answer.status} ${answer.text.slice(0, 120)}` });
            slowest.sort((a, b) => b.ms - a.ms).splice(5);
          }
          const code = /^\{"status":(?:true|false),"code":(\d+)/.exec(answer.text)?.[1];
          const label = code ? `${answer.status}/${code}` : String(answer.status);
          statuses.set(label, (statuses.get(label) ?? 0) + 1);
          if (process.env.FUZZ_VERBOSE) console.log(`${new Date().toISOString().slice(11, 23)} ${ms} ms ${route.name} ${answer.status} ${answer.text.slice(0, 200)} <- ${request.url.slice(0, 2000)} ${answer.status >= 500 ? (request.body ?? '') : ''}`);
          const problem = violation(route, answer);
          if (problem) throw new Error(`${problem}: ${answer.text.slice(0, 300)}`);
        }),
        { seed: SEED + index, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
      if (result.failed) {
        const request = result.counterexample?.[0] as FuzzRequest | undefined;
        const cut = (text: string | undefined) => (text && text.length > 400 ? `${text.slice(0, 400)}… (${text.length} chars)` : text);
        const shown = request && { ...request, url: cut(request.url), body: cut(request.body) };
        failures.push(`${route.name} (seed ${result.seed}, path ${result.counterexamplePath}): ${String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance)}\n  request: ${JSON.stringify(shown)}`);
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`api fuzz: ${routes.length} operations, ${requests} requests in ${seconds} s (seed ${SEED}); answers (HTTP/app code) ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a.localeCompare(b))))}`);
    console.log(`api fuzz: slowest answers ${JSON.stringify(slowest.map(({ ms, what }) => `${ms} ms ${what.slice(0, 80)}`))}`);
    assert.deepEqual({ failures, escaped: [...new Set(escaped)] }, { failures: [], escaped: [] });
    assert.deepEqual(skipped, [], `the ${BUDGET_MS / 1000} s budget ran out before these operations`);
    assert.ok(requests >= routes.length * RUNS_PER_OPERATION);
    const unhandled = logs.filter((line) => line.msg === 'unhandled error' || line.msg === 'request failed' || (line.reqId !== undefined && (line.level as number) >= 50));
    assert.deepEqual(unhandled.map((line) => `${String(line.msg)} ${String(line.method)} ${String(line.url)}: ${JSON.stringify(line.err).slice(0, 300)}`), []);
  });

  it('refuses non-finite and out-of-range numbers with 400 naming the field (the reported 500s)', async () => {
    const cases: [string, string, string | undefined, string][] = [
      ['GET', `/api/v1/session/webhooks/deliveries?sessionId=${QR_SESSION}&limit=Infinity`, undefined, 'query/limit must be a finite number'],
      ['GET', `/api/v1/session/webhooks/deliveries?sessionId=${QR_SESSION}&limit=1e309`, undefined, 'query/limit must be a finite number'],
      ['GET', `/api/v1/session/webhooks/deliveries?sessionId=${QR_SESSION}&limit=-Infinity`, undefined, 'query/limit must be a finite number'],
      ['GET', '/api/v1/server/cpu-history?limit=1e309', undefined, 'query/limit must be a finite number'],
      ['GET', '/api/v1/server/cpu-history?limit=100001', undefined, 'query/limit must be <= 100000'],
      ['POST', '/api/v1/server/restart', '{"delaySeconds":"1e309"}', 'body/delaySeconds must be a finite number'],
      ['POST', '/api/v1/session/webhooks/replay', `{"sessionId":"${QR_SESSION}","since":"Infinity"}`, 'body/since must be a finite number'],
      ['POST', '/api/v1/session/webhooks/replay', `{"sessionId":"${QR_SESSION}","since":1e309}`, 'body/since must be integer'],
    ];
    for (const [method, url, body, message] of cases) {
      const answer = await send({ method, url, body, headers: { 'x-warest-api-key': keys.admin, ...(body ? { 'content-type': 'application/json' } : {}) } });
      assert.equal(answer.status, 400, url);
      assert.deepEqual(JSON.parse(answer.text), { status: false, code: 2002, message, results: [] }, url);
    }
  });

  it('answers a 20 KB header with 431 in the envelope', async () => {
    const answer = parseRaw(await rawExchange(gateway.url, `GET /api/v1/server/ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    assert.equal(answer.status, 431);
    assert.deepEqual(answer.body, { status: false, code: 2006, message: 'Request headers exceed the 16 KB limit; send fewer or shorter headers', results: [] });
  });

  it('answers a malformed request line with 400 in the envelope', async () => {
    const answer = parseRaw(await rawExchange(gateway.url, 'GET /api/v1/server/ping HTTP/1.1 trailing junk\r\nHost: x\r\n\r\n'));
    assert.equal(answer.status, 400);
    const body = answer.body as { status: boolean; code: number; message: string; results: unknown[] };
    assert.deepEqual([body.status, body.code, body.results], [false, 2000, []]);
    assert.match(body.message, /^Malformed HTTP request \(HPE_[A-Z_]+\)/);
  });

  it('logs a body the client cuts off as aborted, not as a database error, and stays healthy', async () => {
    const from = logs.length;
    const head = `POST /api/v1/session/${QR_SESSION}/config HTTP/1.1\r\nHost: x\r\nX-WAREST-API-KEY: ${keys.admin}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 4096\r\n\r\n{"webhookUrl": "http://exa';
    assert.equal(await rawExchange(gateway.url, head, 150), '', 'no answer before the body is complete');
    const deadline = Date.now() + 3_000;
    while (!logs.slice(from).some((line) => line.msg === 'request aborted by the client') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const lines = logs.slice(from);
    const aborted = lines.find((line) => line.msg === 'request aborted by the client');
    assert.ok(aborted, 'logged as aborted');
    assert.equal(aborted.url, `/api/v1/session/${QR_SESSION}/config`);
    assert.deepEqual(lines.filter((line) => /database|unreachable/i.test(JSON.stringify(line)) || line.statusCode === 503 || (line.level as number) >= 40), []);
    const ping = await fetch(`${gateway.url}/api/v1/server/ready`, { headers: { 'x-warest-api-key': keys.admin } });
    assert.equal(ping.status, 200);
  });
});
