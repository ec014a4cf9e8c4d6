import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../testing.js';
import { transaction } from '../transaction.js';
import { getCreds, getKeys, purgeAuthState, saveCreds, setKeys } from './auth-state.js';

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: auth state`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
      await seedSession(store.db, 's1');
      await seedSession(store.db, 's2');
    });
    after(() => store.close());

    it('saves and overwrites creds per session', async () => {
      assert.equal(await getCreds(store.db, 's1'), undefined);
      await saveCreds(store.db, 's1', '{"v":1}');
      await saveCreds(store.db, 's1', '{"v":2}');
      assert.equal(await getCreds(store.db, 's1'), '{"v":2}');
      assert.equal(await getCreds(store.db, 's2'), undefined);
    });

    it('upserts keys and returns only the ids found, scoped by session and type', async () => {
      await setKeys(store.db, 's1', { 'pre-key': { '1': 'a', '2': 'b' }, session: { '1': 'sess' } });
      await setKeys(store.db, 's1', { 'pre-key': { '2': 'b2' } });
      await setKeys(store.db, 's2', { 'pre-key': { '1': 'other' } });
      const found = await getKeys(store.db, 's1', 'pre-key', ['1', '2', '3']);
      assert.deepEqual(Object.fromEntries(found), { '1': 'a', '2': 'b2' });
      assert.deepEqual(Object.fromEntries(await getKeys(store.db, 's1', 'session', ['1'])), { '1': 'sess' });
      assert.equal((await getKeys(store.db, 's1', 'pre-key', [])).size, 0);
    });

    it('deletes keys set to null in the same call that writes others', async () => {
      await setKeys(store.db, 's1', { 'pre-key': { '1': null, '4': 'd' } });
      assert.deepEqual(Object.fromEntries(await getKeys(store.db, 's1', 'pre-key', ['1', '2', '4'])), {
        '2': 'b2',
        '4': 'd',
      });
    });

    it('writes, reads and deletes 2,000 keys in one call (chunked under the parameter limit)', async () => {
      const ids = Array.from({ length: 2000 }, (_, i) => `k${i}`);
      await setKeys(store.db, 's2', { 'sender-key': Object.fromEntries(ids.map((id) => [id, `v-${id}`])) });
      const found = await getKeys(store.db, 's2', 'sender-key', [...ids, 'absent']);
      assert.equal(found.size, 2000);
      assert.equal(found.get('k1999'), 'v-k1999');

      await setKeys(store.db, 's2', { 'sender-key': Object.fromEntries(ids.slice(0, 1500).map((id) => [id, null])) });
      const left = await getKeys(store.db, 's2', 'sender-key', ids);
      assert.deepEqual([...left.keys()].sort(), ids.slice(1500).sort());
    });

    it('writes nothing when the caller transaction rolls back', async () => {
      await assert.rejects(
        transaction(store.db, async (trx) => {
          await setKeys(trx, 's1', { 'app-state-sync-key': { x: 'y' }, 'pre-key': { '2': null } });
          throw new Error('abort');
        }),
      );
      assert.equal((await getKeys(store.db, 's1', 'app-state-sync-key', ['x'])).size, 0);
      assert.equal((await getKeys(store.db, 's1', 'pre-key', ['2'])).get('2'), 'b2');
    });

    it('purges one session without touching another', async () => {
      await purgeAuthState(store.db, 's1');
      assert.equal(await getCreds(store.db, 's1'), undefined);
      assert.equal((await getKeys(store.db, 's1', 'pre-key', ['2', '4'])).size, 0);
      assert.equal((await getKeys(store.db, 's2', 'pre-key', ['1'])).get('1'), 'other');
    });
  });
}
