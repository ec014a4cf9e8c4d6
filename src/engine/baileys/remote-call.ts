// Running one command against WhatsApp: bounded in time, and with Baileys' failures (Boom errors) turned into
// the port's typed errors.
import { EngineNotConnectedError, EngineNotSupportedError, EngineRemoteError, EngineTimeoutError } from '../errors.js';
import { withDeadline } from '../../lib/deadline.js';

interface BoomLike extends Error {
  isBoom: true;
  output: { statusCode: number };
  data?: unknown;
}

function isBoom(error: unknown): error is BoomLike {
  return error instanceof Error && (error as Partial<BoomLike>).isBoom === true;
}

/** The numeric status of a Baileys disconnect or failure (undefined for non-Boom errors). */
export function boomStatus(error: unknown): number | undefined {
  return isBoom(error) ? error.output.statusCode : undefined;
}

export function toEngineError(error: unknown, operation: string, timeoutMs: number): Error {
  // A call pending when the socket closes is rejected with the bare WebSocket close code.
  if (typeof error === 'number') return new EngineNotConnectedError('closed');
  if (!isBoom(error)) return error instanceof Error ? error : new Error(String(error));
  const status = error.output.statusCode;
  // An IQ answered with <error code text/>: Baileys puts WhatsApp's code in `data` (assertNodeErrorFree) or,
  // for group metadata answers, in the status with the error node as `data`.
  if (typeof error.data === 'number' && Number.isFinite(error.data)) return new EngineRemoteError(error.data, error.message, operation);
  if (error.message === 'Connection Closed' || status === 428) return new EngineNotConnectedError('closed');
  if (error.message === 'Timed Out') return new EngineTimeoutError(operation, timeoutMs);
  if (error.message === 'No image processing library available') return new EngineNotSupportedError(operation, 'no image library (sharp or jimp) is installed');
  return new EngineRemoteError(status, error.message, operation);
}

/** Why a command's signal aborts: a constant, because abort() without a reason builds a DOMException and its stack trace on every command. */
const COMMAND_OVER = new Error('the command is over');

/**
 * Runs `call`, failing with EngineTimeoutError after `timeoutMs` and mapping Baileys errors. `call` gets a signal
 * that aborts once the command is over (answered, failed or timed out), to release what it waits on.
 */
export async function remoteCall<T>(operation: string, timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const over = new AbortController();
  try {
    return await withDeadline(call(over.signal), timeoutMs, () => new EngineTimeoutError(operation, timeoutMs));
  } catch (error) {
    throw error instanceof EngineTimeoutError ? error : toEngineError(error, operation, timeoutMs);
  } finally {
    over.abort(COMMAND_OVER);
  }
}

/** A value WhatsApp's answer must contain; its absence is a malformed answer. */
export function required<T>(value: T | null | undefined, operation: string, what: string): T {
  if (value === null || value === undefined || value === '') throw new EngineRemoteError(500, `the answer has no ${what}`, operation);
  return value;
}
