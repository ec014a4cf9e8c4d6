// Turns the result of one delivery attempt into the row's next state: delivered, retried later (exponential
// backoff with full jitter, honouring Retry-After), failed (non-retryable), or dead (out of attempts).
import type { DeliveryOutcome } from '../store/repos/webhook-deliveries.js';

export type AttemptResult =
  | { kind: 'response'; status: number; retryAfterMs: number | undefined }
  /** No response: network error or timeout (retryable), or a refusal before sending (not retryable). */
  | { kind: 'error'; error: string; retryable: boolean };

export interface RetryPolicy {
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

/** How the attempt reflects on the target's health, for the circuit breaker. */
export type TargetHealth = 'up' | 'down' | 'unknown';

export interface Decision {
  outcome: DeliveryOutcome;
  health: TargetHealth;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Full jitter: uniform in [0, min(cap, base * 2^(attempt - 1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.backoffCapMs, policy.backoffBaseMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * @param attempt the 1-based number of the attempt that produced `result`.
 */
export function decide(
  result: AttemptResult,
  attempt: number,
  policy: RetryPolicy,
  now = Date.now(),
  random: () => number = Math.random,
): Decision {
  const lastStatus = result.kind === 'response' ? result.status : null;
  const settle = (state: DeliveryOutcome['state'], lastError: string | null, health: TargetHealth): Decision => ({
    outcome: { state, attempts: attempt, nextAttemptAt: now, lastStatus, lastError, deliveredAt: state === 'delivered' ? now : null },
    health,
  });

  if (result.kind === 'response' && result.status >= 200 && result.status < 300) return settle('delivered', null, 'up');
  if (result.kind === 'response' && !isRetryableStatus(result.status)) {
    // The receiver answered: it is up, it just refuses this request (or redirects, which we never follow).
    return settle('failed', `HTTP ${result.status}`, 'up');
  }
  if (result.kind === 'error' && !result.retryable) return settle('failed', result.error, 'unknown');

  const lastError = result.kind === 'error' ? result.error : `HTTP ${result.status}`;
  if (attempt >= policy.maxAttempts) return settle('dead', lastError, 'down');
  const retryAfter = result.kind === 'response' ? result.retryAfterMs : undefined;
  const delay = Math.max(backoffDelay(attempt, policy, random), Math.min(retryAfter ?? 0, policy.backoffCapMs));
  return {
    outcome: { state: 'pending', attempts: attempt, nextAttemptAt: now + delay, lastStatus, lastError, deliveredAt: null },
    health: 'down',
  };
}
