// KeyedAsyncLocalStorage behaves as Node's AsyncLocalStorage for each instance; the export swap is scoped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { KeyedAsyncLocalStorage, withKeyedAsyncLocalStorage } from './keyed-async-local-storage.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('each instance sees only its own store, across awaits and nested runs', async () => {
  const a = new KeyedAsyncLocalStorage<string>();
  const b = new KeyedAsyncLocalStorage<string>();
  assert.equal(a.getStore(), undefined);
  await a.run('a1', async () => {
    await tick();
    assert.equal(a.getStore(), 'a1');
    assert.equal(b.getStore(), undefined);
    await b.run('b1', async () => {
      await tick();
      assert.equal(a.getStore(), 'a1', 'an inner run of another instance keeps the outer store');
      assert.equal(b.getStore(), 'b1');
      await a.run('a2', async () => {
        await tick();
        assert.equal(a.getStore(), 'a2');
        assert.equal(b.getStore(), 'b1');
      });
      assert.equal(a.getStore(), 'a1', 'the nested run ended');
    });
    assert.equal(b.getStore(), undefined);
  });
  assert.equal(a.getStore(), undefined);
});

test('concurrent runs of one instance do not see each other', async () => {
  const storage = new KeyedAsyncLocalStorage<number>();
  const seen = await Promise.all(
    [1, 2, 3].map((n) =>
      storage.run(n, async () => {
        await tick();
        await tick();
        return storage.getStore();
      })
    )
  );
  assert.deepEqual(seen, [1, 2, 3]);
});

/** How many enabled AsyncLocalStorage instances stamp their key on new promises (none: Node's promise hooks are off). */
const storagesOnPromises = () => Object.getOwnPropertySymbols(Promise.resolve()).filter((s) => s.description === 'kResourceStore').length;

// Before the enterWith test below: an enterWith has no end, so it keeps the shared storage enabled for good.
test('the shared storage is enabled only while a run is in flight', async () => {
  const a = new KeyedAsyncLocalStorage<string>();
  const b = new KeyedAsyncLocalStorage<string>();
  assert.equal(storagesOnPromises(), 0);
  let leftBehind: Promise<string | undefined> | undefined;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const other = b.run('b', async () => {
    await released;
    return b.getStore();
  });
  await a.run('a', async () => {
    assert.equal(storagesOnPromises(), 1, 'inside a run');
    leftBehind = new Promise((resolve) => setTimeout(() => resolve(a.getStore()), 20));
    await tick();
  });
  assert.equal(storagesOnPromises(), 1, 'another run is still in flight');
  release();
  assert.equal(await other, 'b');
  assert.equal(storagesOnPromises(), 0, 'after the last run settled');
  assert.equal(await leftBehind, undefined, 'work a run left behind does not see its store once every run has settled');
  assert.throws(() => a.run('sync', () => { throw new Error('sync failure'); }), /sync failure/);
  assert.equal(a.run('sync', () => a.getStore()), 'sync');
  assert.equal(storagesOnPromises(), 0, 'after synchronous runs, returned or thrown');
});

test('exit, enterWith and disable as Node defines them', async () => {
  const storage = new KeyedAsyncLocalStorage<string>();
  const other = new KeyedAsyncLocalStorage<string>();
  await other.run('kept', async () => {
    await storage.run('outer', async () => {
      storage.exit(() => {
        assert.equal(storage.getStore(), undefined);
        assert.equal(other.getStore(), 'kept');
      });
      assert.equal(storage.getStore(), 'outer');
      storage.disable();
      assert.equal(storage.getStore(), undefined);
      storage.enterWith('entered');
      assert.equal(storage.getStore(), 'entered');
      assert.equal(other.getStore(), 'kept');
    });
  });
  assert.equal(storage.getStore(), undefined);
});

test('the AsyncLocalStorage export is swapped only while building', async () => {
  const hooks = await import('node:async_hooks');
  const built = withKeyedAsyncLocalStorage(() => new hooks.AsyncLocalStorage<number>());
  assert.ok(built instanceof KeyedAsyncLocalStorage, 'code that runs inside sees the keyed storage');
  assert.equal(hooks.AsyncLocalStorage, AsyncLocalStorage, 'and Node\'s own afterwards');
  assert.ok(!(new hooks.AsyncLocalStorage() instanceof KeyedAsyncLocalStorage));
  assert.throws(() => withKeyedAsyncLocalStorage(() => { throw new Error('build failed'); }), /build failed/);
  assert.equal(hooks.AsyncLocalStorage, AsyncLocalStorage, 'restored after a throw too');
});
