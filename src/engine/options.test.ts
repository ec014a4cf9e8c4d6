// The reconnect backoff curve and option validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, resolveEngineOptions } from './options.js';

test('backoff doubles per attempt, stays within half and all of the capped value, and is capped', () => {
  assert.equal(backoffDelay(1, 1_000, 60_000, () => 0), 500);
  assert.equal(backoffDelay(1, 1_000, 60_000, () => 1), 1_000);
  assert.equal(backoffDelay(3, 1_000, 60_000, () => 1), 4_000);
  assert.equal(backoffDelay(3, 1_000, 60_000, () => 0.5), 3_000);
  assert.equal(backoffDelay(20, 1_000, 60_000, () => 1), 60_000);
  assert.equal(backoffDelay(20, 1_000, 60_000, () => 0), 30_000);
});

test('options: defaults fill in, contradictions are refused', () => {
  assert.equal(resolveEngineOptions({ reconnectBaseMs: 5 }).reconnectBaseMs, 5);
  assert.equal(resolveEngineOptions().reconnectMaxAttempts, Number.POSITIVE_INFINITY);
  assert.throws(() => resolveEngineOptions({ reconnectBaseMs: 10, reconnectMaxMs: 5 }), RangeError);
  assert.throws(() => resolveEngineOptions({ maxQrCycles: 0 }), RangeError);
  assert.equal(resolveEngineOptions({ recentMessageLimit: 0 }).recentMessageLimit, 0);
  assert.throws(() => resolveEngineOptions({ recentMessageLimit: -1 }), RangeError);
  assert.throws(() => resolveEngineOptions({ sentRetryCacheLimit: 0 }), RangeError);
  assert.throws(() => resolveEngineOptions({ sentRetryCacheLimit: 2.5 }), RangeError);
});
