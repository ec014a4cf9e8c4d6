// Listener isolation in the typed emitter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypedEmitter } from './typed-emitter.js';

test('a failing listener is reported and does not stop the others; off() unsubscribes', async () => {
  const failures: [string, unknown][] = [];
  const emitter = new TypedEmitter<{ tick: number }>((event, error) => failures.push([event, error]));
  const seen: number[] = [];
  emitter.on('tick', () => {
    throw new Error('sync');
  });
  emitter.on('tick', async () => {
    throw new Error('async');
  });
  const off = emitter.on('tick', (n) => void seen.push(n));
  emitter.emit('tick', 1);
  off();
  emitter.emit('tick', 2);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, [1]);
  assert.deepEqual(
    failures.map(([event, error]) => [event, (error as Error).message]),
    [['tick', 'sync'], ['tick', 'sync'], ['tick', 'async'], ['tick', 'async']]
  );
});
