import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Store } from './open-database.js';
import { getSetting, setSetting } from './repos/settings.js';
import { TEST_DIALECTS, openTestStore } from './testing.js';
import { afterCommit, transaction } from './transaction.js';
import { BACKSTOP_PAGES } from './wal-checkpointer.js';
import { TcpProxy } from '../../test/support/tcp-proxy.js';

describe('sqlite: openDatabase', () => {
  it('creates <dataDir>/waygate.db in WAL mode with foreign keys on, checkpoints left to a thread, and reopens it migrated', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'waygate-open-')), 'nested', 'data');
    try {
      const first = await openDatabase({ dataDir });
      assert.equal(first.dialect, 'sqlite');
      await setSetting(first.db, 'k', 'v');
      const pragmas = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(first.db);
      assert.equal(pragmas.rows[0]?.journal_mode, 'wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(first.db);
      assert.equal(fk.rows[0]?.foreign_keys, 1);
      const checkpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(first.db);
      assert.equal(checkpoint.rows[0]?.wal_autocheckpoint, BACKSTOP_PAGES, 'its own connection checkpoints only if the thread falls behind');
      const temp = await sql<{ temp_store: number }>`pragma temp_store`.execute(first.db);
      assert.equal(temp.rows[0]?.temp_store, 2, 'temporary B-trees in memory, not a temporary file per statement');
      const cache = await sql<{ cache_size: number }>`pragma cache_size`.execute(first.db);
      assert.equal(cache.rows[0]?.cache_size, -16 * 1024, 'a 16 MiB page cache unless told otherwise');
      await first.close();
      await stat(join(dataDir, 'waygate.db'));

      const second = await openDatabase({ dataDir, sqliteCacheMib: 2 });
      assert.equal(await getSetting(second.db, 'k'), 'v');
      const smaller = await sql<{ cache_size: number }>`pragma cache_size`.execute(second.db);
      assert.equal(smaller.rows[0]?.cache_size, -2 * 1024, 'WAYGATE_SQLITE_CACHE_MB');
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: store basics`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
    });
    after(() => store.close());

    it('reports its dialect and answers ping', async () => {
      assert.equal(store.dialect, dialect);
      assert.equal(await store.ping(), true);
    });

    it('answers ping with false once closed', async () => {
      const closed = await openTestStore(dialect);
      await closed.close();
      assert.equal(await closed.ping(), false);
    });

    it('returns int8 timestamps as JS numbers', async () => {
      const big = 1_893_456_000_123;
      await setSetting(store.db, 'ts', 'x', big);
      const row = await store.db.selectFrom('settings').select('updated_at').where('key', '=', 'ts').executeTakeFirstOrThrow();
      assert.equal(row.updated_at, big);
      // The number parser is ours alone: the pg library default (strings) is untouched.
      assert.equal(pg.types.getTypeParser(pg.types.builtins.INT8, 'text')('5'), '5');
    });

    it('commits a transaction, then runs its after-commit hooks', async () => {
      const calls: string[] = [];
      await transaction(store.db, async (trx) => {
        await setSetting(trx, 'committed', '1');
        afterCommit(trx, () => calls.push('hook'));
        assert.deepEqual(calls, []);
      });
      assert.deepEqual(calls, ['hook']);
      assert.equal(await getSetting(store.db, 'committed'), '1');
    });

    it('rolls back every write when the function throws, and skips the hooks', async () => {
      const calls: string[] = [];
      await assert.rejects(
        transaction(store.db, async (trx) => {
          await setSetting(trx, 'rolled-back', '1');
          afterCommit(trx, () => calls.push('hook'));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await getSetting(store.db, 'rolled-back'), undefined);
      assert.deepEqual(calls, []);
    });

    it('joins the outer transaction when nested, so an outer failure undoes the inner writes', async () => {
      await assert.rejects(
        transaction(store.db, async (outer) => {
          await transaction(outer, (inner) => setSetting(inner, 'inner', '1'));
          throw new Error('outer fails');
        }),
      );
      assert.equal(await getSetting(store.db, 'inner'), undefined);
    });

    it('runs after-commit hooks at once outside a transaction, and refuses a foreign transaction', async () => {
      let called = false;
      afterCommit(store.db, () => (called = true));
      assert.equal(called, true);
      await store.db.transaction().execute(async (trx) => {
        assert.throws(() => afterCommit(trx, () => undefined), /transaction\(\)/);
      });
    });
  });
}

describe('postgres: schemas', () => {
  it('migrates a second schema of the same database independently', async () => {
    const first = await openTestStore('postgres');
    const second = await openTestStore('postgres');
    try {
      await setSetting(first.db, 'k', 'first');
      assert.equal(await getSetting(second.db, 'k'), undefined);
    } finally {
      await second.close();
      await first.close();
    }
  });
});

describe('postgres: a connection lost under a query', () => {
  it('fails that query and nothing else: no uncaught error, and the store works again once the server is back', async () => {
    const server = new URL(process.env.WAYGATE_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test');
    const proxy = await new TcpProxy(server.hostname, Number(server.port || 5432)).start();
    const store = await openTestStore('postgres', proxy.port);
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', record);
    try {
      const slow = sql`select pg_sleep(5)`.execute(store.db);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await proxy.cut();
      await assert.rejects(slow, /Connection terminated/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(uncaught, []);
      await proxy.start();
      assert.equal(await store.ping(), true);
    } finally {
      process.off('uncaughtException', record);
      await proxy.start();
      await store.close();
    }
  });
});
