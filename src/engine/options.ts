// Tunables of an engine session (timeouts, reconnect policy, cache sizes) with their defaults.

export interface EngineOptions {
  /** first reconnect delay; doubles per failed attempt, with jitter */
  reconnectBaseMs: number;
  /** upper bound of the reconnect delay */
  reconnectMaxMs: number;
  /** failed connection attempts in a row before the session gives up (FAILED); Infinity = never */
  reconnectMaxAttempts: number;
  /** fresh registration sockets (each showing a round of QR codes) before giving up with FAILED `qr timeout` */
  maxQrCycles: number;
  /** lifetime of each QR code; unset = WhatsApp's (60 s for the first, 20 s for the next ones) */
  qrTimeoutMs: number | undefined;
  connectTimeoutMs: number;
  keepAliveIntervalMs: number;
  /** how long the WhatsApp client library waits for any one answer */
  queryTimeoutMs: number;
  /** how long one command (which may be several queries) may take before EngineTimeoutError */
  commandTimeoutMs: number;
  /**
   * recently sent and received messages kept in memory for retries and poll votes, behind the consumer's store
   * (`storedMessage`): for a store that keeps keys only, or none. 0 when the store keeps every message's content.
   */
  recentMessageLimit: number;
  /**
   * messages sent lately that the WhatsApp client library keeps to answer retry receipts without asking the store:
   * it must cover the time until the store has a sent message's content (its server ack), and more when the store
   * keeps none
   */
  sentRetryCacheLimit: number;
  /** group metadata kept in memory for sending to groups */
  groupMetadataLimit: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  reconnectBaseMs: 1_000,
  reconnectMaxMs: 60_000,
  reconnectMaxAttempts: Number.POSITIVE_INFINITY,
  maxQrCycles: 3,
  qrTimeoutMs: undefined,
  connectTimeoutMs: 20_000,
  keepAliveIntervalMs: 30_000,
  queryTimeoutMs: 60_000,
  commandTimeoutMs: 30_000,
  recentMessageLimit: 32,
  sentRetryCacheLimit: 32,
  groupMetadataLimit: 1_000
};

export function resolveEngineOptions(options: Partial<EngineOptions> = {}): EngineOptions {
  const resolved = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  if (resolved.reconnectMaxMs < resolved.reconnectBaseMs) throw new RangeError('reconnectMaxMs must be at least reconnectBaseMs');
  if (resolved.maxQrCycles < 1) throw new RangeError('maxQrCycles must be at least 1');
  if (!Number.isInteger(resolved.recentMessageLimit) || resolved.recentMessageLimit < 0) throw new RangeError('recentMessageLimit must be a whole number, 0 or more');
  if (!Number.isInteger(resolved.sentRetryCacheLimit) || resolved.sentRetryCacheLimit < 1) throw new RangeError('sentRetryCacheLimit must be a whole number, at least 1');
  return resolved;
}

/**
 * Delay before reconnect attempt `attempt` (1-based): exponential from `baseMs`, capped at `maxMs`, with "equal
 * jitter" (between half and all of the capped value) so that many sessions dropped together do not reconnect in step.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const capped = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(capped / 2 + random() * (capped / 2));
}
