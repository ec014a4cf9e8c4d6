// The WARest response envelope `{status, code, message, results}` (api-compat §3): how a code name becomes the
// HTTP status and body, and the `reply.envelope()` decorator every route answers with.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { appCode, type AppCodeName } from '../core/errors.js';

export interface Envelope {
  status: boolean;
  code: number;
  message: string;
  results: unknown[];
}

declare module 'fastify' {
  interface FastifyReply {
    /** Send the envelope for `code` with the route's own message; `results` is wrapped into an array. */
    envelope(code: AppCodeName, message: string, results?: unknown): FastifyReply;
  }
}

/** `results` is always an array: null/undefined → [], an array as is, anything else wrapped. */
export function toResults(results: unknown): unknown[] {
  if (results === null || results === undefined) return [];
  return Array.isArray(results) ? results : [results];
}

export function buildEnvelope(
  code: AppCodeName,
  message: string,
  results?: unknown,
): { httpStatus: number; body: Envelope } {
  const entry = appCode(code);
  return {
    httpStatus: entry.status,
    body: { status: entry.status >= 200 && entry.status < 300, code: entry.code, message, results: toResults(results) },
  };
}

/** `encode`: the body's JSON made by the caller (e.g. `jsonBytes` for long lists); by default Fastify's. */
export function sendEnvelope(reply: FastifyReply, code: AppCodeName, message: string, results?: unknown, encode?: (body: Envelope) => Buffer): FastifyReply {
  const { httpStatus, body } = buildEnvelope(code, message, results);
  return reply.code(httpStatus).type('application/json; charset=utf-8').send(encode ? encode(body) : body);
}

export function installEnvelope(app: FastifyInstance): void {
  app.decorateReply('envelope', function (this: FastifyReply, code: AppCodeName, message: string, results?: unknown) {
    return sendEnvelope(this, code, message, results);
  });
}
