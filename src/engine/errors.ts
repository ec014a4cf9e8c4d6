// The engine's typed failures. Core maps each class to an app code (e.g. EngineNotSupportedError → HTTP 501
// NOT_IMPLEMENTED); nothing here knows HTTP.

export abstract class EngineError extends Error {
  override readonly name: string = this.constructor.name;
}

/** The engine cannot do this operation at all (→ 501 NOT_IMPLEMENTED). */
export class EngineNotSupportedError extends EngineError {
  constructor(readonly operation: string, detail?: string) {
    super(`${operation} is not supported by this engine${detail ? `: ${detail}` : ''}`);
  }
}

/** A command was issued while the session is not WORKING (or the connection dropped while it ran). */
export class EngineNotConnectedError extends EngineError {
  constructor(readonly status: string) {
    super(`the session is not connected to WhatsApp (status ${status}); wait until it is WORKING`);
  }
}

/** WhatsApp answered with an error: `code` is its numeric code (403 not admin, 404 not found, 409 conflict, 410 gone…). */
export class EngineRemoteError extends EngineError {
  constructor(
    readonly code: number,
    readonly text: string,
    readonly operation: string
  ) {
    super(`WhatsApp refused ${operation}: ${code} ${text}`);
  }
}

/** WhatsApp did not answer in time. */
export class EngineTimeoutError extends EngineError {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number
  ) {
    super(`WhatsApp did not answer ${operation} within ${timeoutMs} ms`);
  }
}

/** An argument the engine cannot use (a JID it cannot parse, an empty list…). */
export class EngineInvalidArgumentError extends EngineError {
  constructor(
    readonly argument: string,
    problem: string
  ) {
    super(`${argument} ${problem}`);
  }
}

/** The request does not fit the session's lifecycle state (e.g. a pairing code for a session that is already linked). */
export class EngineStateError extends EngineError {
  constructor(
    readonly status: string,
    message: string
  ) {
    super(message);
  }
}
