import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { linkedAbort } from './linked-abort.js';

test('the outer signal aborts the linked one, with its reason', () => {
  const outer = new AbortController();
  const linked = linkedAbort({ signal: outer.signal, timeoutMs: 60_000 });
  outer.abort(new Error('shutting down'));
  assert.equal(linked.signal.aborted, true);
  assert.equal((linked.signal.reason as Error).message, 'shutting down');
  assert.equal(linked.timedOut, false);
  linked.release();
});

test('the deadline aborts it with a TimeoutError and says so', async () => {
  const linked = linkedAbort({ timeoutMs: 5 });
  await sleep(30);
  assert.equal(linked.signal.aborted, true);
  assert.equal((linked.signal.reason as DOMException).name, 'TimeoutError');
  assert.equal(linked.timedOut, true);
});

test('an outer signal that is already aborted aborts it at once', () => {
  const linked = linkedAbort({ signal: AbortSignal.abort('gone') });
  assert.equal(linked.signal.aborted, true);
  assert.equal(linked.signal.reason, 'gone');
});

test('once released, nothing is left on the outer signal and the deadline no longer fires', async () => {
  const outer = new AbortController();
  const linked = Array.from({ length: 1000 }, () => linkedAbort({ signal: outer.signal, timeoutMs: 5 }));
  assert.equal(getEventListeners(outer.signal, 'abort').length, 1000);
  for (const request of linked) request.release();
  assert.equal(getEventListeners(outer.signal, 'abort').length, 0);
  await sleep(30);
  outer.abort();
  assert.ok(linked.every((request) => !request.signal.aborted && !request.timedOut));
});
