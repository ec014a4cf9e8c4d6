import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, decide, parseRetryAfter, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { maxAttempts: 4, backoffBaseMs: 100, backoffCapMs: 1_000 };
const response = (status: number, retryAfterMs?: number) => ({ kind: 'response' as const, status, retryAfterMs });
const now = 10_000;
const max = () => 1;

describe('retry policy', () => {
  it('grows the backoff ceiling exponentially up to the cap, with full jitter', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, max)), [100, 200, 400, 800, 1000]);
    assert.equal(backoffDelay(3, policy, () => 0), 0);
    assert.equal(backoffDelay(3, policy, () => 0.5), 200);
  });

  it('marks 2xx delivered', () => {
    const { outcome, health } = decide(response(204), 1, policy, now);
    assert.deepEqual(outcome, { state: 'delivered', attempts: 1, nextAttemptAt: now, lastStatus: 204, lastError: null, deliveredAt: now });
    assert.equal(health, 'up');
  });

  it('retries network errors, 408, 429 and 5xx with backoff', () => {
    for (const result of [response(408), response(429), response(500), response(503), { kind: 'error' as const, error: 'ECONNREFUSED', retryable: true }]) {
      const { outcome, health } = decide(result, 2, policy, now, max);
      assert.equal(outcome.state, 'pending');
      assert.equal(outcome.nextAttemptAt, now + 200);
      assert.equal(health, 'down');
    }
  });

  it('waits at least Retry-After (capped) when the receiver asks', () => {
    assert.equal(decide(response(429, 700), 1, policy, now, () => 0).outcome.nextAttemptAt, now + 700);
    assert.equal(decide(response(503, 60_000), 1, policy, now, () => 0).outcome.nextAttemptAt, now + 1_000);
  });

  it('fails other 4xx and 3xx at once: the receiver is up but refuses', () => {
    for (const status of [400, 401, 404, 410, 302]) {
      const { outcome, health } = decide(response(status), 1, policy, now);
      assert.equal(outcome.state, 'failed');
      assert.equal(outcome.lastError, `HTTP ${status}`);
      assert.equal(health, 'up');
    }
  });

  it('fails refusals made before sending without judging the target', () => {
    const { outcome, health } = decide({ kind: 'error', error: 'refused', retryable: false }, 1, policy, now);
    assert.equal(outcome.state, 'failed');
    assert.equal(health, 'unknown');
  });

  it('declares the row dead once the attempts are used up', () => {
    const { outcome } = decide(response(500), 4, policy, now);
    assert.deepEqual([outcome.state, outcome.attempts, outcome.lastError], ['dead', 4, 'HTTP 500']);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(new Date(now + 5000).toUTCString(), now), 5000);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});
