// What a WARest view hands back to its route: the envelope's app code, its message and the result.
import type { FastifyReply } from 'fastify';
import type { AppCodeName } from '../../../core/errors.js';
import { sendEnvelope } from '../../envelope.js';
import { jsonBytes } from '../../json-bytes.js';

export interface Outcome {
  code: Extract<AppCodeName, 'SUCCESS' | 'PARTIAL_SUCCESS' | 'SESSION_OPEN' | 'SESSION_QR_REQUIRED' | 'SESSION_LOGIN_PENDING' | 'SESSION_RECONNECT_SCHEDULED'>;
  message: string;
  result: unknown;
}

export const succeeded = (message: string, result: unknown): Outcome => ({ code: 'SUCCESS', message, result });

export function answer(reply: FastifyReply, outcome: Outcome): FastifyReply {
  return reply.envelope(outcome.code, outcome.message, outcome.result);
}

/** `answer` for a result that holds a list of any length (see json-bytes.ts). */
export function answerList(reply: FastifyReply, outcome: Outcome): FastifyReply {
  return sendEnvelope(reply, outcome.code, outcome.message, outcome.result, jsonBytes);
}
