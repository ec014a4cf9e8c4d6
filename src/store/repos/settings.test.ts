import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore } from '../testing.js';
import { deleteSetting, getSetting, setSetting } from './settings.js';

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: settings`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
    });
    after(() => store.close());

    it('sets, overwrites, reads and deletes a value', async () => {
      assert.equal(await getSetting(store.db, 'restart.daily'), undefined);
      await setSetting(store.db, 'restart.daily', '{"at":"03:00"}');
      await setSetting(store.db, 'restart.daily', '{"at":"04:30"}');
      assert.equal(await getSetting(store.db, 'restart.daily'), '{"at":"04:30"}');
      assert.equal(await deleteSetting(store.db, 'restart.daily'), true);
      assert.equal(await deleteSetting(store.db, 'restart.daily'), false);
      assert.equal(await getSetting(store.db, 'restart.daily'), undefined);
    });
  });
}
