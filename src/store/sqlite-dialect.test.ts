import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { openSqliteConnection, type Store } from './open-database.js';
import { getSetting, setSetting } from './repos/settings.js';
import { FifoLock, FifoSqliteDialect } from './sqlite-dialect.js';
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

describe('sqlite: writes share commits, and a writer hears of its write once it is committed', () => {
  interface Rows {
    t: { v: string };
    parent: { id: number };
    child: { parent_id: number };
  }
  let dir: string;
  let db: Kysely<Rows>;
  /** a second connection to the same file: it sees only what is committed */
  let observer: SQLite.Database;
  const committed = () => (observer.prepare('select v from t order by v').all() as { v: string }[]).map((row) => row.v);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'waygate-group-'));
    db = new Kysely<Rows>({ dialect: new FifoSqliteDialect(openSqliteConnection(dir, 2)) });
    await sql`create table t (v text primary key)`.execute(db);
    await sql`create table parent (id integer primary key)`.execute(db);
    await sql`create table child (parent_id integer references parent (id) deferrable initially deferred)`.execute(db);
    observer = new SQLite(join(dir, 'waygate.db'), { readonly: true });
  });
  afterEach(async () => {
    observer.close();
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const insert = (v: string) => db.insertInto('t').values({ v }).execute();

  it('the writes of one turn commit together, and each writer is answered with its row already committed', async () => {
    const seenByEach: number[] = [];
    const names = Array.from({ length: 50 }, (_, i) => `w${String(i).padStart(2, '0')}`);
    await Promise.all(
      names.map(async (v, i) => {
        if (i % 2) await db.transaction().execute((trx) => trx.insertInto('t').values({ v }).execute());
        else await insert(v);
        assert.ok(committed().includes(v), `${v} was answered before it was committed`);
        seenByEach.push(committed().length);
      }),
    );
    assert.deepEqual(committed(), names);
    assert.equal(seenByEach[0], names.length, 'the first writer answered saw every write of its turn committed with its own');
  });

  it('statements run directly (prepared queries) take their turn on the connection and are answered once committed', async () => {
    const dialect = new FifoSqliteDialect(openSqliteConnection(dir, 2));
    const direct = new Kysely<Rows>({ dialect });
    try {
      const insertDirect = (v: string) => dialect.statements.execute(direct.insertInto('t').values({ v }).compile());
      const order: string[] = [];
      const inTransaction = direct.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ v: 'trx-1' }).execute();
        await new Promise((resolve) => setTimeout(resolve, 20));
        dialect.statements.executeHeld(trx.insertInto('t').values({ v: 'trx-2' }).compile());
        order.push('transaction');
      });
      await Promise.all(
        ['d1', 'd2'].map(async (v) => {
          await insertDirect(v);
          order.push(v);
          assert.ok(committed().includes(v), `${v} was answered before it was committed`);
        }),
      );
      await inTransaction;
      assert.deepEqual(order, ['transaction', 'd1', 'd2'], 'the direct writes waited for the transaction holding the connection');
      assert.deepEqual(committed(), ['d1', 'd2', 'trx-1', 'trx-2']);
      await assert.rejects(insertDirect('d1'), /UNIQUE/);
      assert.deepEqual((await dialect.statements.execute<{ v: string }>(direct.selectFrom('t').select('v').where('v', '=', 'd2').compile())).rows, [{ v: 'd2' }]);
    } finally {
      await direct.destroy();
    }
  });

  it('a read while writes wait for their commit sees them', async () => {
    const writing = insert('pending');
    const read = await db.selectFrom('t').select('v').execute();
    assert.deepEqual(read, [{ v: 'pending' }]);
    assert.deepEqual(committed(), [], 'not committed yet when the read answered');
    await writing;
    assert.deepEqual(committed(), ['pending']);
  });

  it('a transaction that fails in a group undoes only its own writes; the others in the group commit', async () => {
    const results = await Promise.allSettled([
      insert('a'),
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ v: 'b' }).execute();
        throw new Error('the caller changed its mind');
      }),
      db.transaction().execute((trx) => trx.insertInto('t').values({ v: 'c' }).execute()),
      insert('a'),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    assert.match(String((results[3] as PromiseRejectedResult).reason), /UNIQUE/);
    assert.deepEqual(committed(), ['a', 'c']);
  });

  it('when a group cannot commit, every writer in it is told so and none of its writes stays; the next group is unharmed', async () => {
    const results = await Promise.allSettled([
      insert('x'),
      db.insertInto('child').values({ parent_id: 404 }).execute(), // checked only at commit
      db.transaction().execute((trx) => trx.insertInto('t').values({ v: 'y' }).execute()),
    ]);
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.match(String(result.reason), /FOREIGN KEY/);
    }
    assert.deepEqual(committed(), []);
    await insert('z');
    assert.deepEqual(committed(), ['z']);
  });

  it('closing the database commits a group that is waiting for the end of the turn', async () => {
    const writing = insert('last');
    await db.selectFrom('t').select('v').execute(); // queued behind the write: it has run, and waits for its commit
    await db.destroy();
    await writing;
    assert.deepEqual(committed(), ['last']);
    db = new Kysely<Rows>({ dialect: new FifoSqliteDialect(openSqliteConnection(dir, 2)) });
  });
});
