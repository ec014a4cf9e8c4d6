// How engine failures reach API users: each engine error class becomes an app code with a message that says
// what happened and what to do. Routes with more context (e.g. "not a group admin") map before this fallback.
import { EngineError, EngineInvalidArgumentError, EngineNotConnectedError, EngineNotSupportedError, EngineRemoteError, EngineStateError, EngineTimeoutError } from '../engine/errors.js';
import { GatewayError } from './errors.js';

/** WhatsApp's numeric answers (they reuse HTTP numbers) for which the request, not the network, was at fault. */
const REMOTE_CODES: Record<number, [GatewayError['code'], string]> = {
  400: ['BAD_REQUEST', 'WhatsApp rejected the request as malformed'],
  401: ['FORBIDDEN', 'WhatsApp says this number is not allowed to do that'],
  403: ['FORBIDDEN', 'WhatsApp says this number is not allowed to do that'],
  404: ['NOT_FOUND', 'WhatsApp does not know that item'],
  406: ['UNPROCESSABLE_ENTITY', 'WhatsApp did not accept the value'],
  409: ['CONFLICT', 'WhatsApp reports a conflict'],
  410: ['NOT_FOUND', 'That item is gone (expired or revoked)']
};

export function engineErrorToGateway(error: unknown): GatewayError | null {
  if (!(error instanceof EngineError)) return null;
  if (error instanceof EngineNotConnectedError) return new GatewayError('SESSION_NOT_LOGGED_IN', `The session is not connected (${error.status}): scan the QR or finish pairing, then retry`);
  if (error instanceof EngineNotSupportedError) return new GatewayError('NOT_IMPLEMENTED', error.message);
  if (error instanceof EngineInvalidArgumentError) return new GatewayError('INVALID_PARAMETER', error.message);
  if (error instanceof EngineStateError) return new GatewayError('INVALID_STATE', error.message);
  if (error instanceof EngineTimeoutError) return new GatewayError('DOWNSTREAM_TIMEOUT', `WhatsApp did not answer ${error.operation} within ${error.timeoutMs} ms; retry`);
  if (error instanceof EngineRemoteError) {
    const known = REMOTE_CODES[error.code];
    if (known) return new GatewayError(known[0], `${known[1]} (${error.operation}: ${error.code} ${error.text})`);
    return new GatewayError('DOWNSTREAM_ERROR', `WhatsApp answered ${error.code} ${error.text} to ${error.operation}`);
  }
  return new GatewayError('DOWNSTREAM_ERROR', error.message);
}
