import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY, backoffDelay, decide, parseRetryAfter, type AttemptResult, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { retryWindowMs: 60_000, backoffBaseMs: 100, backoffCapMs: 1_000 };
const response = (status: number, retryAfterMs?: number) => ({ kind: 'response' as const, status, retryAfterMs });
const now = 10_000;
const first = (number = 1) => ({ number, firstAttemptAt: now });
const max = () => 1;
const min = () => 0;
const HOUR_MS = 3_600_000;

/** Fails every attempt from t=0 until the delivery is dead; the times of its attempts. */
function attemptsUntilDead(retryPolicy: RetryPolicy, random: () => number): number[] {
  const times = [0];
  const unreachable: AttemptResult = { kind: 'error', error: 'ECONNREFUSED', retryable: true };
  for (;;) {
    const at = times.at(-1)!;
    const { outcome } = decide(unreachable, { number: times.length, firstAttemptAt: 0 }, retryPolicy, at, random);
    if (outcome.state === 'dead') return times;
    times.push(outcome.nextAttemptAt);
  }
}

describe('retry policy', () => {
  it('grows the backoff ceiling exponentially up to the cap, waiting between half and all of it', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, max)), [100, 200, 400, 800, 1000]);
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, min)), [50, 100, 200, 400, 500]);
    assert.equal(backoffDelay(3, policy, () => 0.5), 300);
  });

  it('keeps every jittered wait within [ceiling/2, ceiling]', () => {
    for (let n = 1; n <= 30; n++) {
      const ceiling = Math.min(DEFAULT_RETRY_POLICY.backoffCapMs, DEFAULT_RETRY_POLICY.backoffBaseMs * 2 ** (n - 1));
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(n, DEFAULT_RETRY_POLICY);
        assert.ok(delay >= ceiling / 2 && delay <= ceiling, `retry ${n}: ${delay} outside [${ceiling / 2}, ${ceiling}]`);
      }
    }
  });

  it('by default, retries a delivery for 24 hours from its first attempt, never waiting more than 15 minutes', () => {
    assert.deepEqual(DEFAULT_RETRY_POLICY, { retryWindowMs: 24 * HOUR_MS, backoffBaseMs: 1_000, backoffCapMs: 900_000 });
    const cases: [() => number, number[] | undefined][] = [[min, [500, 1_000, 2_000]], [max, [1_000, 2_000, 4_000]], [Math.random, undefined]];
    for (const [random, firstWaits] of cases) {
      const times = attemptsUntilDead(DEFAULT_RETRY_POLICY, random);
      const last = times.at(-1)!;
      assert.ok(last >= 24 * HOUR_MS, `the last attempt comes ${last / HOUR_MS} h after the first`);
      assert.ok(last < 24 * HOUR_MS + 900_000, 'and within one capped wait of the window end');
      const waits = times.slice(1).map((t, i) => t - times[i]!);
      assert.ok(Math.max(...waits) <= 900_000);
      if (firstWaits) assert.deepEqual(waits.slice(0, 3), firstWaits);
    }
    // Jitter only changes how many attempts fit in the day: 106 with every wait at its ceiling, 202 at half.
    assert.equal(attemptsUntilDead(DEFAULT_RETRY_POLICY, max).length, 106);
    assert.equal(attemptsUntilDead(DEFAULT_RETRY_POLICY, min).length, 202);
  });

  it('marks 2xx delivered', () => {
    const { outcome, health } = decide(response(204), first(), policy, now);
    assert.deepEqual(outcome, {
      state: 'delivered', attempts: 1, nextAttemptAt: now, firstAttemptAt: now, lastStatus: 204, lastError: null, deliveredAt: now,
    });
    assert.equal(health, 'up');
  });

  it('retries network errors, 408, 429 and 5xx with backoff', () => {
    for (const result of [response(408), response(429), response(500), response(503), { kind: 'error' as const, error: 'ECONNREFUSED', retryable: true }]) {
      const { outcome, health } = decide(result, first(2), policy, now, max);
      assert.equal(outcome.state, 'pending');
      assert.equal(outcome.nextAttemptAt, now + 200);
      assert.equal(outcome.firstAttemptAt, now);
      assert.equal(health, 'down');
    }
  });

  it('waits at least Retry-After (capped) when the receiver asks', () => {
    assert.equal(decide(response(429, 700), first(), policy, now, min).outcome.nextAttemptAt, now + 700);
    assert.equal(decide(response(503, 60_000), first(), policy, now, min).outcome.nextAttemptAt, now + 1_000);
  });

  it('fails other 4xx and 3xx at once: the receiver is up but refuses', () => {
    for (const status of [400, 401, 404, 410, 302]) {
      const { outcome, health } = decide(response(status), first(), policy, now);
      assert.equal(outcome.state, 'failed');
      assert.equal(outcome.lastError, `HTTP ${status}`);
      assert.equal(health, 'up');
    }
  });

  it('fails refusals made before sending without judging the target', () => {
    const { outcome, health } = decide({ kind: 'error', error: 'refused', retryable: false }, first(), policy, now);
    assert.equal(outcome.state, 'failed');
    assert.equal(health, 'unknown');
  });

  it('declares the row dead once its retry window has passed, however few attempts it had', () => {
    const inside = decide(response(500), { number: 2, firstAttemptAt: now - 59_999 }, policy, now);
    assert.equal(inside.outcome.state, 'pending');
    const { outcome } = decide(response(500), { number: 2, firstAttemptAt: now - 60_000 }, policy, now);
    assert.deepEqual([outcome.state, outcome.attempts, outcome.lastError], ['dead', 2, 'HTTP 500']);
  });

  it('declares the row dead at the attempt cap, when one is set, even inside the window', () => {
    assert.equal(decide(response(500), first(4), policy, now).outcome.state, 'pending');
    assert.equal(decide(response(500), first(4), { ...policy, maxAttempts: 4 }, now).outcome.state, 'dead');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(new Date(now + 5000).toUTCString(), now), 5000);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});
