import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DuplicateKeyError, ReferenceViolationError } from '../errors.js';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore } from '../testing.js';
import { createApiKey, deleteApiKey, findApiKeyByHash, getApiKey, listApiKeys } from './api-keys.js';
import { createSession } from './sessions.js';

const hash = (c: string) => c.repeat(64);

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: api keys`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
    });
    after(() => store.close());

    it('creates a key with a generated 10-letter registry and finds it by hash', async () => {
      const created = await createApiKey(store.db, { name: 'alice', keyHash: hash('a'), isAdmin: true }, 1000);
      assert.match(created.registry, /^[A-Z]{10}$/);
      assert.deepEqual(await findApiKeyByHash(store.db, hash('a')), {
        id: created.id,
        name: 'alice',
        registry: created.registry,
        isAdmin: true,
        createdAt: 1000,
      });
      assert.equal(await findApiKeyByHash(store.db, hash('f')), undefined);
    });

    it('refuses a second key with the same hash', async () => {
      await createApiKey(store.db, { name: 'bob', keyHash: hash('b') });
      await assert.rejects(createApiKey(store.db, { name: 'bob2', keyHash: hash('b') }), DuplicateKeyError);
    });

    it('lists keys oldest first and never exposes the hash', async () => {
      const names = (await listApiKeys(store.db)).map((key) => key.name);
      assert.deepEqual(names, ['alice', 'bob']);
      assert.equal('keyHash' in ((await listApiKeys(store.db))[0] ?? {}), false);
    });

    it('deletes a key, but not while it owns sessions', async () => {
      const owner = await createApiKey(store.db, { name: 'carol', keyHash: hash('c') });
      await createSession(store.db, { id: 'carols', ownerKeyId: owner.id });
      await assert.rejects(deleteApiKey(store.db, owner.id), ReferenceViolationError);

      const loner = await createApiKey(store.db, { name: 'dave', keyHash: hash('d') });
      assert.equal(await deleteApiKey(store.db, loner.id), true);
      assert.equal(await getApiKey(store.db, loner.id), undefined);
      assert.equal(await deleteApiKey(store.db, loner.id), false);
    });
  });
}
