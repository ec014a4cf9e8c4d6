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

test('a listener added twice is called once, and one that unsubscribes while called does not stop the others', () => {
  const emitter = new TypedEmitter<{ tick: number }>(() => undefined);
  const calls: string[] = [];
  const twice = () => void calls.push('twice');
  emitter.on('tick', twice);
  emitter.on('tick', twice);
  const offSelf = emitter.on('tick', () => {
    calls.push('once');
    offSelf();
  });
  emitter.on('tick', () => void calls.push('last'));
  emitter.emit('tick', 1);
  emitter.emit('tick', 2);
  assert.deepEqual(calls, ['twice', 'once', 'last', 'twice', 'last']);
});
