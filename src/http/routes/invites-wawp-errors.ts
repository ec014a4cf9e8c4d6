// Errors of the Wawp-compatible routes in Wawp's shape `{status, message, error}` (api-compat §7), with Wawp's
// words where it has them (400 "Missing Required Parameter(s)", invalid_instance, wawp_upstream_error) and ours
// where it has none (not_group_admin, revoke_too_soon…). `code` adds the app code; Retry-After is kept.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { AppCodeName } from '../../core/errors.js';
import { redactUrl } from '../credentials.js';
import { toGatewayError } from '../error-handler.js';

const MISSING = ['missing_parameter', 'Missing Required Parameter(s)'] as const;
const UPSTREAM = ['wawp_upstream_error', 'Upstream Failure'] as const;

/** [Wawp `error`, optional title put before our message]; other codes use their name in lower case. */
const VOCABULARY: Partial<Record<AppCodeName, readonly [string, string?]>> = {
  MISSING_PARAMETER: MISSING,
  SESSION_REQUIRED: MISSING,
  INVALID_PARAMETER: ['invalid_parameter'],
  BAD_REQUEST: ['invalid_parameter'],
  MALFORMED_JSON: ['invalid_parameter'],
  SESSION_NOT_FOUND: ['invalid_instance'],
  SESSION_NOT_LOGGED_IN: ['instance_not_working'],
  FORBIDDEN: ['forbidden'],
  GROUP_NOT_ADMIN: ['not_group_admin'],
  GROUP_NOT_MEMBER: ['not_group_member'],
  GROUP_NOT_FOUND: ['group_not_found'],
  INVITE_REVOKE_TOO_SOON: ['revoke_too_soon'],
  DOWNSTREAM_ERROR: UPSTREAM,
  DOWNSTREAM_TIMEOUT: UPSTREAM,
  NETWORK_ERROR: UPSTREAM,
};

export function wawpErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = toGatewayError(error, request);
  if (!mapped) {
    request.log.error({ err: error, method: request.method, url: redactUrl(request.url) }, 'unhandled error');
    return reply.code(500).send({ status: 500, message: `Unexpected Failure (request ${request.id}); the server log has the details`, error: 'internal_error' });
  }
  if (mapped.status >= 500) request.log.warn({ err: mapped, method: request.method, url: redactUrl(request.url) }, 'request failed');
  if (mapped.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.ceil(mapped.retryAfterSeconds)));
  const [name, title] = VOCABULARY[mapped.code] ?? [mapped.code.toLowerCase()];
  const message = title ? `${title}: ${mapped.message}` : mapped.message;
  return reply.code(mapped.status).send({ status: mapped.status, message, error: name, code: mapped.appCode });
}
