// Turns the result of one delivery attempt into the row's next state: delivered, retried later (exponential
// backoff with jitter, honouring Retry-After up to the cap), failed (not retryable), or dead (its retry window,
// counted from its first attempt, or its optional attempt cap is used up).
import { doublingDelayMs } from '../lib/backoff.js';
import type { DeliveryOutcome } from '../store/repos/webhook-deliveries.js';

export type AttemptResult =
  | { kind: 'response'; status: number; retryAfterMs: number | undefined }
  /** No response: network error or timeout (retryable), or a refusal before sending (not retryable). */
  | { kind: 'error'; error: string; retryable: boolean };

export interface RetryPolicy {
  /** A failed attempt made this long or longer after the first one makes the delivery dead. */
  retryWindowMs: number;
  /** Attempts (first included) after which the delivery is dead even inside the window; undefined: no cap. */
  maxAttempts?: number | undefined;
  backoffBaseMs: number;
  backoffCapMs: number;
}

const HOUR_MS = 3_600_000;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retryWindowMs: 24 * HOUR_MS, backoffBaseMs: 1_000, backoffCapMs: 900_000 };

/** How the attempt reflects on the target's health, for the circuit breaker. */
export type TargetHealth = 'up' | 'down' | 'unknown';

export interface Decision {
  outcome: DeliveryOutcome;
  health: TargetHealth;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * The wait after failed attempt n: uniform in [c/2, c] with c = min(cap, base * 2^(n - 1)). The floor of
 * half the ceiling keeps a retry from following its failure at once; the random half spreads out retries
 * that failed together.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = doublingDelayMs(attempt, policy.backoffBaseMs, policy.backoffCapMs);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What the receiver asked for in Retry-After, capped like any backoff; 0 when it asked for nothing. */
export function requestedDelay(result: AttemptResult, policy: RetryPolicy): number {
  return result.kind === 'response' ? Math.min(result.retryAfterMs ?? 0, policy.backoffCapMs) : 0;
}

/**
 * @param attempt `number`: the 1-based number of the attempt that produced `result`; `firstAttemptAt`: when
 * the delivery's first attempt started (this one's start, for a first attempt).
 */
export function decide(
  result: AttemptResult,
  attempt: { number: number; firstAttemptAt: number },
  policy: RetryPolicy,
  now = Date.now(),
  random: () => number = Math.random,
): Decision {
  const lastStatus = result.kind === 'response' ? result.status : null;
  const outcome = (state: DeliveryOutcome['state'], lastError: string | null, nextAttemptAt = now): DeliveryOutcome => ({
    state,
    attempts: attempt.number,
    nextAttemptAt,
    firstAttemptAt: attempt.firstAttemptAt,
    lastStatus,
    lastError,
    deliveredAt: state === 'delivered' ? now : null,
  });

  if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
    return { outcome: outcome('delivered', null), health: 'up' };
  }
  if (result.kind === 'response' && !isRetryableStatus(result.status)) {
    // The receiver answered: it is up, it just refuses this request (or redirects, which we never follow).
    return { outcome: outcome('failed', `HTTP ${result.status}`), health: 'up' };
  }
  if (result.kind === 'error' && !result.retryable) return { outcome: outcome('failed', result.error), health: 'unknown' };

  const lastError = result.kind === 'error' ? result.error : `HTTP ${result.status}`;
  const outOfAttempts = policy.maxAttempts !== undefined && attempt.number >= policy.maxAttempts;
  if (outOfAttempts || now - attempt.firstAttemptAt >= policy.retryWindowMs) {
    return { outcome: outcome('dead', lastError), health: 'down' };
  }
  const delay = Math.max(backoffDelay(attempt.number, policy, random), requestedDelay(result, policy));
  return { outcome: outcome('pending', lastError, now + delay), health: 'down' };
}
