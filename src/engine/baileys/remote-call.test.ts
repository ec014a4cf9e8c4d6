// Mapping Baileys' failures to the port's errors, and the command time bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineNotConnectedError, EngineNotSupportedError, EngineRemoteError, EngineTimeoutError } from '../errors.js';
import { boom } from '../testing/boom.js';
import { remoteCall, toEngineError } from './remote-call.js';

test("Baileys' failures become the port's errors", () => {
  const remote = toEngineError(boom(500, 'not-authorized', 401), 'groups.leave', 1_000);
  assert.ok(remote instanceof EngineRemoteError);
  assert.deepEqual([remote.code, remote.text, remote.operation], [401, 'not-authorized', 'groups.leave']);
  const metadata = toEngineError(boom(404, 'item-not-found', { tag: 'error', attrs: { code: '404' } }), 'groups.metadata', 1_000);
  assert.ok(metadata instanceof EngineRemoteError && metadata.code === 404);
  assert.ok(toEngineError(boom(428, 'Connection Closed'), 'x', 1_000) instanceof EngineNotConnectedError);
  assert.ok(toEngineError(1006, 'x', 1_000) instanceof EngineNotConnectedError, 'a pending call when the socket closes gets the close code');
  assert.ok(toEngineError(boom(408, 'Timed Out'), 'x', 1_000) instanceof EngineTimeoutError);
  assert.ok(toEngineError(boom(500, 'No image processing library available'), 'x', 1_000) instanceof EngineNotSupportedError);
  const plain = new TypeError('bug');
  assert.equal(toEngineError(plain, 'x', 1_000), plain);
});

test('remoteCall bounds the wait and maps rejections', async () => {
  await assert.rejects(remoteCall('slow', 20, () => new Promise(() => undefined)), (e: unknown) => e instanceof EngineTimeoutError && e.operation === 'slow');
  await assert.rejects(remoteCall('refused', 1_000, async () => Promise.reject(boom(500, 'forbidden', 403))), (e: unknown) => e instanceof EngineRemoteError && e.code === 403);
  assert.equal(await remoteCall('fine', 1_000, async () => 42), 42);
});
