// Renders every error as an envelope: GatewayError by its code, Fastify's parser/validation errors as the matching
// WARest code naming the field, unknown routes as NOT_FOUND, and anything else as a logged INTERNAL_ERROR (a bug).
// Also owns body parsing quirks that decide which of these errors a request can hit.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, type AppCodeName } from '../core/errors.js';
import { engineErrorToGateway } from '../core/engine-errors.js';
import { isDatabaseUnavailable } from '../store/availability.js';
import { redactUrl } from './credentials.js';
import { sendEnvelope } from './envelope.js';

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

/** Map a thrown error to the GatewayError it stands for; null means an unexpected failure (a bug). */
export function toGatewayError(error: unknown, request: FastifyRequest): GatewayError | null {
  if (error instanceof GatewayError) return error;
  if (!(error instanceof Error)) return null;
  const fromEngine = engineErrorToGateway(error);
  if (fromEngine) return fromEngine;
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

/** For Fastify's `frameworkErrors` option: errors raised before routing (e.g. a malformed URL). */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  sendError(error, request, reply);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    return sendEnvelope(reply, 'NOT_FOUND', `Route ${request.method} ${path} does not exist; the API is listed at /docs`);
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
