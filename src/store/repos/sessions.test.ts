import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DuplicateKeyError, ReferenceViolationError } from '../errors.js';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore } from '../testing.js';
import { transaction } from '../transaction.js';
import { createApiKey, type ApiKey } from './api-keys.js';
import { getCreds, saveCreds } from './auth-state.js';
import {
  createSession,
  deleteSession,
  getSession,
  listAllSessions,
  listSessionsByOwner,
  listSessionListings,
  listSessionsToResume,
  setSessionStatus,
  updateSession,
} from './sessions.js';

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: sessions`, () => {
    let store: Store;
    let alice: ApiKey;
    let bob: ApiKey;
    before(async () => {
      store = await openTestStore(dialect);
      alice = await createApiKey(store.db, { name: 'alice', keyHash: 'a'.repeat(64) });
      bob = await createApiKey(store.db, { name: 'bob', keyHash: 'b'.repeat(64) });
    });
    after(() => store.close());

    it('creates a session with defaults and reads it back typed', async () => {
      const created = await createSession(store.db, { id: 'sales.1', ownerKeyId: alice.id }, 5000);
      assert.deepEqual(await getSession(store.db, 'sales.1'), created);
      assert.equal(created.status, 'STOPPED');
      assert.equal(created.autoStart, false);
      assert.equal(created.webhookEvents, null);
      assert.equal(created.createdAt, 5000);
    });

    it('stores booleans, the event filter and the secret as given', async () => {
      const created = await createSession(store.db, {
        id: 'hooked',
        ownerKeyId: alice.id,
        label: 'Hooked',
        webhookUrl: 'https://example.com/hook',
        webhookSecret: 'pa$$ with spaces',
        webhookEvents: ['message.received', 'group_update'],
        autoStart: true,
      });
      const read = await getSession(store.db, 'hooked');
      assert.deepEqual(read, created);
      assert.equal(read?.webhookSecret, 'pa$$ with spaces');
      assert.deepEqual(read?.webhookEvents, ['message.received', 'group_update']);
      assert.equal(read?.autoStart, true);
    });

    it('refuses a duplicate id with DuplicateKeyError', async () => {
      await assert.rejects(createSession(store.db, { id: 'sales.1', ownerKeyId: bob.id }), (err: unknown) => {
        assert.ok(err instanceof DuplicateKeyError);
        assert.equal(err.table, 'sessions');
        return true;
      });
    });

    it('refuses an invalid id and an unknown owner', async () => {
      await assert.rejects(createSession(store.db, { id: 'has space', ownerKeyId: alice.id }), RangeError);
      await assert.rejects(createSession(store.db, { id: 'x'.repeat(65), ownerKeyId: alice.id }), RangeError);
      await assert.rejects(createSession(store.db, { id: 'orphan', ownerKeyId: 'nobody' }), ReferenceViolationError);
    });

    it('lists by owner and all', async () => {
      await createSession(store.db, { id: 'bobs', ownerKeyId: bob.id });
      assert.deepEqual(
        (await listSessionsByOwner(store.db, bob.id)).map((s) => s.id),
        ['bobs'],
      );
      assert.deepEqual((await listAllSessions(store.db)).map((s) => s.id).sort(), ['bobs', 'hooked', 'sales.1']);
    });

    it('updates only the given fields, and can clear one to null', async () => {
      const updated = await updateSession(store.db, 'hooked', { webhookEvents: null, meName: 'Alice' }, 9000);
      assert.equal(updated?.webhookEvents, null);
      assert.equal(updated?.meName, 'Alice');
      assert.equal(updated?.webhookUrl, 'https://example.com/hook');
      assert.equal(updated?.label, 'Hooked');
      assert.equal(updated?.updatedAt, 9000);
      assert.equal(await updateSession(store.db, 'missing', { label: 'x' }), undefined);
    });

    it('sets the status, stamping lastConnectedAt on WORKING only', async () => {
      assert.equal(await setSessionStatus(store.db, 'sales.1', 'SCAN_QR_CODE', 6000), true);
      assert.equal((await getSession(store.db, 'sales.1'))?.lastConnectedAt, null);
      await setSessionStatus(store.db, 'sales.1', 'WORKING', 7000);
      const working = await getSession(store.db, 'sales.1');
      assert.equal(working?.status, 'WORKING');
      assert.equal(working?.lastConnectedAt, 7000);
      assert.equal(await setSessionStatus(store.db, 'missing', 'FAILED'), false);
    });

    it('resumes sessions meant to run, most recently connected first, never logged-out ones', async () => {
      await updateSession(store.db, 'sales.1', { shouldRun: true });
      await updateSession(store.db, 'bobs', { shouldRun: true, lastConnectedAt: 8000 });
      await updateSession(store.db, 'hooked', { shouldRun: true, status: 'LOGGED_OUT' });
      await createSession(store.db, { id: 'never-connected', ownerKeyId: bob.id, shouldRun: true });
      assert.deepEqual(
        (await listSessionsToResume(store.db)).map((s) => s.id),
        ['bobs', 'sales.1', 'never-connected'],
      );
    });

    it('lists what a list shows, and every write is seen by the next list (kept lists included)', async () => {
      const shown = async (only?: { ownerKeyId?: string; id?: string }) =>
        (await listSessionListings(store.db, only)).map((l) => `${l.id}:${l.status}:${l.meName ?? '-'}`);
      const later = Date.now() + 1_000_000; // created after every other session here, so listed last
      await createSession(store.db, { id: 'list-a', ownerKeyId: alice.id }, later);
      await createSession(store.db, { id: 'list-b', ownerKeyId: bob.id }, later + 1);
      const before = await shown();
      assert.deepEqual(before.slice(-2), ['list-a:STOPPED:-', 'list-b:STOPPED:-']);
      assert.deepEqual(await shown(), before, 'a second read answers the same');
      assert.deepEqual(await shown({ id: 'list-b' }), ['list-b:STOPPED:-']);
      assert.ok((await shown({ ownerKeyId: bob.id })).every((l) => !l.startsWith('list-a:')));

      await setSessionStatus(store.db, 'list-a', 'WORKING');
      await updateSession(store.db, 'list-b', { meName: 'Bee' });
      assert.deepEqual((await shown()).slice(-2), ['list-a:WORKING:-', 'list-b:STOPPED:Bee']);

      await assert.rejects(
        transaction(store.db, async (trx) => {
          await setSessionStatus(trx, 'list-a', 'FAILED');
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      assert.deepEqual((await shown()).slice(-2), ['list-a:WORKING:-', 'list-b:STOPPED:Bee'], 'a rolled-back write is not shown');

      await transaction(store.db, async (trx) => {
        await setSessionStatus(trx, 'list-a', 'LOGGED_OUT');
        await createSession(trx, { id: 'list-c', ownerKeyId: alice.id }, later + 2);
        // PostgreSQL reads on another connection meanwhile, before the commit; SQLite's one connection waits for it.
        if (dialect === 'postgres') assert.deepEqual((await shown()).slice(-2), ['list-a:WORKING:-', 'list-b:STOPPED:Bee']);
      });
      assert.deepEqual((await shown()).slice(-3), ['list-a:LOGGED_OUT:-', 'list-b:STOPPED:Bee', 'list-c:STOPPED:-']);
      await deleteSession(store.db, 'list-b');
      assert.deepEqual((await shown()).slice(-2), ['list-a:LOGGED_OUT:-', 'list-c:STOPPED:-']);
    });

    it('reads a session as last written (kept reads included): a transaction its own writes, a rolled-back write never', async () => {
      const status = async (db = store.db) => (await getSession(db, 'kept'))?.status;
      assert.equal(await status(), undefined);
      await createSession(store.db, { id: 'kept', ownerKeyId: alice.id });
      assert.equal(await status(), 'STOPPED', 'a session created after it was missing');
      assert.equal(await status(), 'STOPPED', 'a second read answers the same');
      await setSessionStatus(store.db, 'kept', 'WORKING');
      assert.equal(await status(), 'WORKING');

      await assert.rejects(
        transaction(store.db, async (trx) => {
          await setSessionStatus(trx, 'kept', 'FAILED');
          assert.equal(await status(trx), 'FAILED', 'the transaction reads its own write');
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      assert.equal(await status(), 'WORKING', 'a rolled-back write is not read');

      await transaction(store.db, async (trx) => {
        assert.equal(await status(trx), 'WORKING', 'a transaction reads what is committed');
        await updateSession(trx, 'kept', { meName: 'Kay', status: 'LOGGED_OUT' });
      });
      const read = await getSession(store.db, 'kept');
      assert.equal(read?.status, 'LOGGED_OUT');
      assert.equal(read?.meName, 'Kay');
      assert.throws(() => ((read as { status: string }).status = 'WORKING'), TypeError, 'a kept read is shared, so it cannot be changed');
      await deleteSession(store.db, 'kept');
      assert.equal(await status(), undefined);
    });

    it('deletes a session with its auth state', async () => {
      await saveCreds(store.db, 'bobs', '{"me":1}');
      assert.equal(await deleteSession(store.db, 'bobs'), true);
      assert.equal(await getSession(store.db, 'bobs'), undefined);
      assert.equal(await getCreds(store.db, 'bobs'), undefined);
      assert.equal(await deleteSession(store.db, 'bobs'), false);
    });
  });
}
