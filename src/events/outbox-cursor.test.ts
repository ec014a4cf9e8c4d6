// The outbox cursor reads events in log order and never moves past an event that may still commit: on
// PostgreSQL a transaction holding a lower seq can commit after a higher one; the cursor waits at that gap
// until it fills, and skips a gap that never fills (a rollback) once its grace has passed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../store/open-database.js';
import { insertEvent } from '../store/repos/outbox.js';
import { TEST_DIALECTS, openTestStore } from '../store/testing.js';
import type { Db } from '../store/database.js';
import { OutboxCursor } from './outbox-cursor.js';

const GRACE_MS = 1000;

function append(db: Db, id: string, createdAt: number) {
  return insertEvent(db, { id, sessionId: 's', event: 'session.status', payload: {}, createdAt });
}

/** Runs `work` in a transaction that commits (or rolls back) only when the returned `finish` is called. */
async function heldTransaction(db: Db, work: (trx: Db) => Promise<unknown>) {
  let release!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (release = resolve));
  let written!: () => void;
  const ready = new Promise<void>((resolve) => (written = resolve));
  const done = db
    .transaction()
    .execute(async (trx) => {
      await work(trx);
      written();
      if (!(await decided)) throw new Error('rolled back on purpose');
    })
    .catch((error: Error) => {
      if (error.message !== 'rolled back on purpose') throw error;
    });
  await ready;
  return { finish: async (commit: boolean) => (release(commit), done) };
}

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: outbox cursor`, () => {
    let store: Store;
    let clock = 0;
    before(async () => {
      store = await openTestStore(dialect);
    });
    after(() => store.close());

    it('reads in log order, in batches, from a position', async () => {
      for (const id of ['a', 'b', 'c']) await append(store.db, id, clock);
      const cursor = new OutboxCursor(store.db, 0, { gapGraceMs: GRACE_MS, now: () => clock });
      assert.deepEqual((await cursor.read(2)).map((e) => e.id), ['a', 'b']);
      assert.deepEqual((await cursor.read(2)).map((e) => e.id), ['c']);
      assert.deepEqual(await cursor.read(2), []);
      const resumed = new OutboxCursor(store.db, cursor.position - 1, { gapGraceMs: GRACE_MS, now: () => clock });
      assert.deepEqual((await resumed.read(10)).map((e) => e.id), ['c']);
    });

    if (dialect === 'postgres') {
      it('waits at a gap for the transaction that holds it, then reads both in order', async () => {
        const cursor = new OutboxCursor(store.db, (await new OutboxCursor(store.db, 0).read(100)).at(-1)!.seq);
        const early = await heldTransaction(store.db, (trx) => append(trx, 'early', Date.now()));
        try {
          await append(store.db, 'late', Date.now());
          assert.deepEqual(await cursor.read(10), [], 'late is held back while early may still commit');
          assert.equal(cursor.waitingAtGap, true);
        } finally {
          await early.finish(true);
        }
        assert.deepEqual((await cursor.read(10)).map((e) => e.id), ['early', 'late']);
        assert.equal(cursor.waitingAtGap, false);
      });

      it('skips a gap that never fills once its grace has passed', async () => {
        clock = 10_000;
        const start = (await new OutboxCursor(store.db, 0).read(100)).at(-1)!.seq;
        const cursor = new OutboxCursor(store.db, start, { gapGraceMs: GRACE_MS, now: () => clock });
        const doomed = await heldTransaction(store.db, (trx) => append(trx, 'doomed', clock));
        await doomed.finish(false);
        await append(store.db, 'after-rollback', clock);
        assert.deepEqual(await cursor.read(10), []);
        clock += GRACE_MS - 1;
        assert.deepEqual(await cursor.read(10), [], 'still within the grace');
        clock += 1;
        assert.deepEqual((await cursor.read(10)).map((e) => e.id), ['after-rollback']);
      });
    }

    it('does not wait at a gap left by events written before the grace (a pruned log)', async () => {
      clock = 50_000;
      const before = (await new OutboxCursor(store.db, 0).read(100)).at(-1)!.seq;
      await append(store.db, 'pruned', clock - GRACE_MS);
      await append(store.db, 'kept', clock - GRACE_MS);
      await store.db.deleteFrom('outbox').where('id', '=', 'pruned').execute();
      const cursor = new OutboxCursor(store.db, before, { gapGraceMs: GRACE_MS, now: () => clock });
      assert.deepEqual((await cursor.read(10)).map((e) => e.id), ['kept']);
    });
  });
}
