// The auth state over an AuthStateStore: serialisation round trips, failed writes, purge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proto } from 'baileys';
import { MemoryAuthStore } from '../testing/memory-auth-store.js';
import { testLogger } from '../testing/test-logger.js';
import { SessionAuth } from './auth-state.js';

test('creds and keys survive a round trip through the store, Buffers and protobufs included', async () => {
  const store = new MemoryAuthStore();
  const auth = await SessionAuth.load(store, testLogger);
  assert.equal(auth.linked, false);
  await auth.persistCreds();
  await auth.state.keys.set({
    'pre-key': { '7': { public: Buffer.from([1, 2]), private: Buffer.from([3, 4]) } },
    'app-state-sync-key': { AAAA: { keyData: Buffer.from([9]), timestamp: 5 } }
  });
  const again = await SessionAuth.load(store, testLogger);
  assert.deepEqual(Buffer.from(again.creds.noiseKey.public), Buffer.from(auth.creds.noiseKey.public));
  const { '7': preKey } = await again.state.keys.get('pre-key', ['7', '8']);
  assert.ok(Buffer.isBuffer(preKey?.public) && preKey.public.equals(Buffer.from([1, 2])));
  const { AAAA: syncKey } = await again.state.keys.get('app-state-sync-key', ['AAAA']);
  assert.ok(syncKey instanceof proto.Message.AppStateSyncKeyData);
  await again.state.keys.set({ 'pre-key': { '7': null } });
  assert.deepEqual(await store.getKeys('pre-key', ['7']), {});
});

test('creds from an unfinished pairing-code registration are recognised', async () => {
  const auth = SessionAuth.fresh(new MemoryAuthStore(), testLogger);
  auth.creds.me = { id: '15550001111@s.whatsapp.net', name: '~' };
  assert.equal(auth.halfRegistered, true);
  auth.creds.account = {};
  assert.equal(auth.halfRegistered, false);
  assert.equal(auth.linked, true);
});

test('a failed creds write is retried by flush(); after purge nothing is written any more', async () => {
  const store = new MemoryAuthStore();
  const save = store.saveCreds.bind(store);
  let failures = 1;
  store.saveCreds = async (json) => (failures-- > 0 ? Promise.reject(new Error('disk full')) : save(json));
  const auth = await SessionAuth.load(store, testLogger);
  await auth.persistCreds();
  assert.equal(store.creds, null);
  await auth.flush();
  assert.notEqual(store.creds, null);

  await auth.purge();
  await auth.persistCreds();
  await auth.state.keys.set({ 'pre-key': { '1': { public: Buffer.from([1]), private: Buffer.from([2]) } } });
  assert.ok(store.empty);
  assert.equal(store.purges, 1);
});

test('creds updates made while a write waits for its turn are written once, as they stand when it runs', async () => {
  const store = new MemoryAuthStore();
  const saved: string[] = [];
  store.saveCreds = async (json) => {
    saved.push(json);
  };
  const auth = await SessionAuth.load(store, testLogger);
  let releaseKeys!: () => void;
  const setKeys = store.setKeys.bind(store);
  store.setKeys = async (writes) => {
    await new Promise<void>((resolve) => (releaseKeys = resolve));
    return setKeys(writes);
  };
  const keysWritten = auth.state.keys.set({ 'pre-key': { '1': { public: Buffer.from([1]), private: Buffer.from([2]) } } });
  await new Promise((resolve) => setImmediate(resolve));

  auth.creds.nextPreKeyId = 2;
  const first = auth.persistCreds();
  auth.creds.nextPreKeyId = 3;
  const second = auth.persistCreds();
  releaseKeys();
  await Promise.all([keysWritten, first, second]);
  assert.equal(saved.length, 1);
  assert.equal(JSON.parse(saved[0]!).nextPreKeyId, 3);

  auth.creds.nextPreKeyId = 4;
  await auth.persistCreds();
  assert.deepEqual(saved.map((json) => JSON.parse(json).nextPreKeyId), [3, 4], 'an update after the write ran gets a write of its own');
});

test('keys are cached, boundedly, except pre-keys, which are always read from the store', async () => {
  const store = new MemoryAuthStore();
  const reads: string[] = [];
  const getKeys = store.getKeys.bind(store);
  store.getKeys = async (type, ids) => {
    reads.push(...ids.map((id) => `${type}/${id}`));
    return getKeys(type, ids);
  };
  const auth = await SessionAuth.load(store, testLogger);
  const record = (n: number) => ({ [`peer${n}.0`]: new Uint8Array([n % 256]) });
  await auth.state.keys.set({ 'pre-key': { '1': { public: Buffer.from([1]), private: Buffer.from([2]) } }, session: record(0) });
  await auth.state.keys.get('pre-key', ['1']);
  await auth.state.keys.get('session', ['peer0.0']);
  assert.deepEqual(reads, ['pre-key/1'], 'the session record came from the cache, the pre-key from the store');

  for (let n = 1; n <= 1000; n++) await auth.state.keys.set({ session: record(n) });
  reads.length = 0;
  const { 'peer0.0': oldest } = await auth.state.keys.get('session', ['peer0.0']);
  const { 'peer1000.0': newest } = await auth.state.keys.get('session', ['peer1000.0']);
  assert.deepEqual(reads, ['session/peer0.0'], 'the oldest of 1,001 records was evicted, the newest is cached');
  assert.deepEqual([oldest?.[0], newest?.[0]], [0, 1000 % 256]);
});
