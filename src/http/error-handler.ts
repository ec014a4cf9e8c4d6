// Renders every error as an envelope: GatewayError by its code, Fastify's parser/validation errors as the matching
// WARest code naming the field, unknown routes as NOT_FOUND, and anything else as a logged INTERNAL_ERROR (a bug).
// Also owns body parsing quirks that decide which of these errors a request can hit, the validation rule no schema
// can state (no non-finite or unsafe number gets past validation), and the envelope for what Node's HTTP parser
// refuses before Fastify sees a request (headers too large, a malformed request line).
import { STATUS_CODES as HTTP_REASONS, maxHeaderSize as HTTP_MAX_HEADER_SIZE } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { GatewayError, type AppCodeName } from '../core/errors.js';
import { engineErrorToGateway } from '../core/engine-errors.js';
import { isDatabaseUnavailable } from '../store/availability.js';
import { redactUrl } from './credentials.js';
import { buildEnvelope, sendEnvelope } from './envelope.js';

const STATUS_CODES: Record<number, AppCodeName> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY', 429: 'RATE_LIMITED',
};

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

function validationError(error: FastifyError): GatewayError {
  const context = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'request');
  const first = error.validation?.[0];
  if (!first) return new GatewayError('INVALID_PARAMETER', error.message);
  const path = [context, ...first.instancePath.split('/').filter(Boolean)];
  const { missingProperty, additionalProperty, allowedValues } = first.params as Record<string, unknown>;
  switch (first.keyword) {
    case 'required':
      return new GatewayError('MISSING_PARAMETER', `${[...path, missingProperty].join('/')} is required`);
    case 'additionalProperties':
      return new GatewayError('INVALID_PARAMETER', `${[...path, additionalProperty].join('/')} is not an accepted field`);
    case 'enum':
      return new GatewayError(
        'INVALID_PARAMETER',
        `${path.join('/')} must be one of: ${(allowedValues as unknown[]).join(', ')}`,
      );
    default:
      return new GatewayError('INVALID_PARAMETER', `${path.join('/')} ${first.message ?? 'is invalid'}`);
  }
}

/**
 * The client went away before its request was complete: the body stream failed with Node's own "aborted" reset
 * (not a socket of ours, such as the database's, that happened to reset).
 */
export function isClientAbort(error: unknown, request: FastifyRequest): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNRESET' && error.message === 'aborted') return true;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' && (request.raw.aborted || request.raw.readableAborted);
}

/** Map a thrown error to the GatewayError it stands for; null means an unexpected failure (a bug). */
export function toGatewayError(error: unknown, request: FastifyRequest): GatewayError | null {
  if (error instanceof GatewayError) return error;
  if (!(error instanceof Error)) return null;
  const fromEngine = engineErrorToGateway(error);
  if (fromEngine) return fromEngine;
  // Before the database check: the reset of the client's own connection is ECONNRESET too.
  if (isClientAbort(error, request)) {
    return new GatewayError('BAD_REQUEST', 'The client closed the connection before the request was complete');
  }
  if (isDatabaseUnavailable(error)) {
    return new GatewayError('SERVICE_UNAVAILABLE', 'The database is unreachable right now; retry shortly', { retryAfterSeconds: 5 });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return validationError(fastifyError);
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new GatewayError('MALFORMED_JSON', 'Request body is not valid JSON; check quotes, commas and brackets');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError(
        'PAYLOAD_TOO_LARGE',
        `Request body exceeds the ${formatBytes(request.routeOptions.bodyLimit)} limit of this route`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Type ${request.headers['content-type'] ?? '(none)'} is not accepted here; send application/json`,
      );
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new GatewayError(STATUS_CODES[status] ?? 'BAD_REQUEST', error.message);
  }
  return null;
}

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const where = { method: request.method, url: redactUrl(request.url) };
  if (isClientAbort(error, request)) {
    // Nobody is left to read an answer; the onRequestAbort hook (observability.ts) logs the abort at info.
    request.log.debug({ ...where, code: (error as NodeJS.ErrnoException).code }, 'request body aborted by the client');
  }
  const mapped = toGatewayError(error, request);
  if (!mapped) {
    request.log.error({ err: error, ...where }, 'unhandled error');
    const message = `Internal server error (request ${request.id}); the server log has the details`;
    return sendEnvelope(reply, 'INTERNAL_ERROR', message);
  }
  if (mapped.status >= 500) request.log.warn({ err: mapped, ...where }, 'request failed');
  if (mapped.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.ceil(mapped.retryAfterSeconds)));
  return sendEnvelope(reply, mapped.code, mapped.message, mapped.details);
}

/** Another error shape for the URLs under `prefix` (Wawp's under /v2/), for answers given before any route runs. */
export interface ErrorDialect {
  prefix: string;
  render(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply;
}

const dialectOf = (dialects: readonly ErrorDialect[], request: FastifyRequest) => dialects.find((d) => request.url.startsWith(d.prefix));

/** For Fastify's `frameworkErrors` option: errors raised before routing (a malformed URL, an over-long parameter). */
export function frameworkErrorHandler(dialects: readonly ErrorDialect[] = []) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const dialect = dialectOf(dialects, request);
    if (dialect) dialect.render(error, request, reply);
    else sendError(error, request, reply);
  };
}

export function installErrorHandling(app: FastifyInstance, dialects: readonly ErrorDialect[] = []): void {
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const message = `Route ${request.method} ${path} does not exist; the API is listed at /docs`;
    const dialect = dialectOf(dialects, request);
    if (dialect) return dialect.render(new GatewayError('NOT_FOUND', message) as unknown as FastifyError, request, reply);
    return sendEnvelope(reply, 'NOT_FOUND', message);
  });

  // Like WARest (express.json), an empty JSON body reads as {} instead of failing.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') done(null, {});
    else parseJson(request, text, done);
  });

  // Requests without a body validate against body schemas as {}, so optional-only bodies need not be sent.
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD') request.body = {};
  });
}

// --- Numbers: finite and exactly representable, whatever the schema says ------------------------------------------

/** The largest magnitude a number may have in a request: beyond it integers are no longer exact. */
export const LARGEST_NUMBER = Number.MAX_SAFE_INTEGER;

/** A record as JSON and query parsers build them: a plain object, or a null-prototype one (fast-querystring's). */
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
};

const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Where the first number of `data` (in document order) that is not finite or beyond ±LARGEST_NUMBER sits, as a
 * JSON pointer; undefined when there is none. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function unsafeNumberAt(data: unknown): { path: string; value: number } | undefined {
  const stack: [value: unknown, path: string][] = [[data, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || Math.abs(value) > LARGEST_NUMBER) return { path, value };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}/${i}`]);
    } else if (isPlainObject(value)) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) stack.push([value[keys[i]!], `${path}/${pointer(keys[i]!)}`]);
    }
  }
  return undefined;
}

type AjvInstance = Parameters<NonNullable<NonNullable<FastifyServerOptions['ajv']>['onCreate']>>[0];
type Validate = ((this: unknown, data: unknown, dataCxt?: { parentData?: unknown; parentDataProperty?: string | number }) => unknown) & {
  errors?: unknown;
  $async?: boolean;
};

function guardNumbers(validate: Validate): Validate {
  if (validate.$async) return validate;
  const guarded: Validate = function (this: unknown, data, dataCxt) {
    const valid = validate.call(this, data, dataCxt);
    guarded.errors = validate.errors;
    if (valid !== true) return valid;
    // A coerced root value is written to its parent, not to `data`.
    const parent = dataCxt?.parentData as Record<string | number, unknown> | undefined;
    const checked = parent && dataCxt?.parentDataProperty !== undefined ? parent[dataCxt.parentDataProperty] : data;
    const unsafe = unsafeNumberAt(checked);
    if (!unsafe) return true;
    const message = Number.isFinite(unsafe.value)
      ? `must be a number between -${LARGEST_NUMBER} and ${LARGEST_NUMBER}`
      : 'must be a finite number';
    guarded.errors = [{ instancePath: unsafe.path, schemaPath: '#', keyword: 'finiteNumber', params: {}, message }];
    return false;
  };
  // Fastify passes the parent (so Ajv can coerce a root value) only to functions that carry `schemaEnv`.
  for (const key of ['schema', 'schemaEnv', 'source', 'evaluated'] as const) {
    if (key in validate) Object.defineProperty(guarded, key, { value: (validate as unknown as Record<string, unknown>)[key], enumerable: true });
  }
  return guarded;
}

/**
 * For Fastify's `ajv.onCreate`: every validator Fastify compiles also refuses numbers that are not finite or not
 * exact. Ajv's own check cannot be relied on with type coercion: `?limit=Infinity` (or `1e309`) is coerced to
 * Infinity after the type check, and `maximum`/`minimum` then skip a non-finite value, so `{type: 'integer',
 * maximum: 500}` let Infinity through. JSON bodies can carry Infinity too (`1e309` parses to it).
 */
export function refuseUnsafeNumbers(ajv: AjvInstance): void {
  const compile = ajv.compile.bind(ajv) as unknown as (schema: unknown, meta?: boolean) => Validate;
  (ajv as unknown as { compile: typeof compile }).compile = (schema, meta) => guardNumbers(compile(schema, meta));
}

// --- What Node's HTTP parser refuses ------------------------------------------------------------------------------

/** What to answer to a connection-level error, by Node's error code: [HTTP status, app code, message]. */
function clientErrorAnswer(code: string | undefined, maxHeaderSize: number): [number, AppCodeName, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'PAYLOAD_TOO_LARGE', `Request headers exceed the ${formatBytes(maxHeaderSize)} limit; send fewer or shorter headers`];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return [413, 'PAYLOAD_TOO_LARGE', 'Chunk extensions of the request body are too large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'TIMEOUT', 'The request did not arrive in time; send it again'];
    default:
      return [400, 'BAD_REQUEST', `Malformed HTTP request (${code ?? 'unreadable'}); check the request line, headers and framing`];
  }
}

/** The raw HTTP/1.1 response for a connection-level error, the body in the envelope. */
export function clientErrorResponse(code: string | undefined, maxHeaderSize: number): string {
  const [status, appCodeName, message] = clientErrorAnswer(code, maxHeaderSize);
  const json = JSON.stringify(buildEnvelope(appCodeName, message).body);
  return (
    `HTTP/1.1 ${status} ${HTTP_REASONS[status] ?? 'Error'}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(json)}\r\n` +
    'Connection: close\r\n\r\n' +
    json
  );
}

/**
 * For Fastify's `clientErrorHandler`: errors Node's HTTP parser raises before there is a request (headers over
 * the limit, a malformed request line or framing, a request that took too long) answer in the envelope. A socket
 * that is already gone (ECONNRESET, EPIPE) or that is midway through a response is only destroyed.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Duplex): void {
  const code = error.code;
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  // HPE_INVALID_EOF_STATE: the peer closed its side midway through a request (an abort, logged as one).
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'HPE_INVALID_EOF_STATE' || socket.destroyed || !socket.writable || inFlight?.headersSent) {
    this.log.debug({ code }, 'client connection closed mid-request');
    socket.destroy();
    return;
  }
  // Headers over the limit are a client to fix (info); other junk is mostly scanners (debug, as Fastify's trace).
  const line = { code, bytesParsed: (error as { bytesParsed?: number }).bytesParsed };
  if (code === 'HPE_HEADER_OVERFLOW') this.log.info(line, 'request headers too large, refused');
  else this.log.debug(line, 'malformed HTTP request refused');
  const maxHeaderSize = (this.server as { maxHeaderSize?: number }).maxHeaderSize ?? HTTP_MAX_HEADER_SIZE;
  socket.write(clientErrorResponse(code, maxHeaderSize), () => socket.destroy());
  // A peer that stops reading must not keep the socket open.
  setTimeout(() => socket.destroy(), 5_000).unref();
}
