import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Store } from './open-database.js';
import { getSetting, setSetting } from './repos/settings.js';
import { FifoLock } from './sqlite-dialect.js';
import { openTestStore } from './testing.js';
import { transaction } from './transaction.js';

describe('FifoLock', () => {
  it('is held by one at a time and handed to waiters in the order they asked, past its compaction point too', async () => {
    const lock = new FifoLock();
    const order: number[] = [];
    let holders = 0;
    let mostHolders = 0;
    const waiters = 3_000;
    await Promise.all(
      Array.from({ length: waiters }, async (_, i) => {
        await lock.acquire();
        holders += 1;
        mostHolders = Math.max(mostHolders, holders);
        order.push(i);
        await Promise.resolve();
        holders -= 1;
        lock.release();
      }),
    );
    assert.equal(mostHolders, 1);
    assert.deepEqual(order, Array.from({ length: waiters }, (_, i) => i));
    await lock.acquire();
    lock.release();
  });
});

describe('sqlite: the store connection with many callers at once', () => {
  let store: Store;
  before(async () => {
    store = await openTestStore('sqlite');
  });
  after(() => store.close());

  it('runs concurrent transactions one at a time, in the order they were asked for', async () => {
    await setSetting(store.db, 'counter', '0');
    const entered: number[] = [];
    const callers = 500;
    await Promise.all(
      Array.from({ length: callers }, (_, i) =>
        transaction(store.db, async (trx) => {
          entered.push(i);
          const value = Number(await getSetting(trx, 'counter'));
          await new Promise<void>((resolve) => setImmediate(resolve));
          await setSetting(trx, 'counter', String(value + 1));
        }),
      ),
    );
    assert.equal(await getSetting(store.db, 'counter'), String(callers), 'no read-modify-write was lost');
    assert.deepEqual(entered, Array.from({ length: callers }, (_, i) => i));
  });

  it('a burst of queued work leaves the event loop to others now and then, instead of holding it to the end', async () => {
    const burst = 3_000;
    let done = 0;
    let doneWhenTheTimerRan = -1;
    const work = Array.from({ length: burst }, (_, i) =>
      transaction(store.db, async (trx) => {
        await setSetting(trx, `burst-${i % 10}`, String(i));
        done += 1;
      }),
    );
    setTimeout(() => (doneWhenTheTimerRan = done), 0);
    await Promise.all(work);
    assert.ok(doneWhenTheTimerRan >= 0 && doneWhenTheTimerRan < burst, `the timer ran after ${doneWhenTheTimerRan} of ${burst} transactions`);
  });

  it('a transaction that fails is rolled back and the ones waiting behind it go on', async () => {
    await setSetting(store.db, 'kept', 'before');
    const failing = transaction(store.db, async (trx) => {
      await setSetting(trx, 'kept', 'changed');
      await sql`insert into no_such_table values (1)`.execute(trx);
    });
    const waiting = Array.from({ length: 20 }, (_, i) => setSetting(store.db, `after-${i}`, 'v'));
    await assert.rejects(failing, /no such table/);
    await Promise.all(waiting);
    assert.equal(await getSetting(store.db, 'kept'), 'before');
    assert.equal(await getSetting(store.db, 'after-19'), 'v');
  });
});
