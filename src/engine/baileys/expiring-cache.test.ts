// The socket caches (expiring-cache.ts, socket-caches.ts) and Baileys' retry manager, as patched: bounded, and
// expired entries are gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageRetryManager } from 'baileys';
import { ExpiringCache } from './expiring-cache.js';
import { createSocketCaches } from './socket-caches.js';

test('an expiring cache keeps at most its bound, dropping the oldest write first', () => {
  const cache = new ExpiringCache({ ttlMs: 60_000, maxEntries: 3 });
  for (const key of ['a', 'b', 'c']) cache.set(key, key.toUpperCase());
  cache.set('a', 'A again');
  cache.set('d', 'D');
  assert.equal(cache.size, 3);
  assert.equal(cache.get('b'), undefined);
  assert.deepEqual(['a', 'c', 'd'].map((key) => cache.get(key)), ['A again', 'C', 'D']);
  for (let i = 0; i < 1000; i++) cache.set(`k${i}`, i);
  assert.equal(cache.size, 3);
});

test('an expiring cache forgets entries after their time to live, and on del and flushAll', async () => {
  const cache = new ExpiringCache({ ttlMs: 20, maxEntries: 10 });
  cache.set('kept', 1);
  cache.set('deleted', 2);
  cache.del('deleted');
  assert.equal(cache.get('kept'), 1);
  assert.equal(cache.get('deleted'), undefined);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(cache.get('kept'), undefined);
  cache.set('x', false);
  assert.equal(cache.get('x'), false);
  cache.flushAll();
  assert.equal(cache.size, 0);
});

test('a full expiring cache makes room by dropping expired entries before live ones', async () => {
  const cache = new ExpiringCache({ ttlMs: 20, maxEntries: 2 });
  cache.set('old', 1);
  await new Promise((resolve) => setTimeout(resolve, 30));
  cache.set('live', 2);
  cache.set('new', 3);
  assert.deepEqual([cache.get('live'), cache.get('new')], [2, 3]);
});

test('every socket gets caches of its own', () => {
  const first = createSocketCaches();
  const second = createSocketCaches();
  first.userDevicesCache.set('15550001111', [{ device: 0 }]);
  assert.equal(second.userDevicesCache.get('15550001111'), undefined);
});

test("Baileys' retry manager still bounds its base keys and recent messages", () => {
  const silent = { level: 'silent', child: () => silent, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const manager = new MessageRetryManager(silent as never, 5);
  const baseKey = (i: number) => new Uint8Array([i & 255, i >> 8]);
  for (let i = 0; i < 1100; i++) manager.saveBaseKey(`peer${i}`, `m${i}`, baseKey(i));
  // the last 1,024 are kept
  assert.deepEqual([75, 76, 1099].map((i) => manager.hasSameBaseKey(`peer${i}`, `m${i}`, baseKey(i))), [false, true, true]);
  for (let i = 0; i < 40; i++) manager.addRecentMessage(`peer${i}@s.whatsapp.net`, `m${i}`, { conversation: `${i}` });
  // the last 32 are kept
  assert.deepEqual([7, 8, 39].map((i) => manager.getRecentMessage(`peer${i}@s.whatsapp.net`, `m${i}`)?.message.conversation), [undefined, '8', '39']);
  manager.clear();
});
