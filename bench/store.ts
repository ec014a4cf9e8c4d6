// The store's SQLite connection under many concurrent callers: what a statement and a transaction cost when a
// thousand sessions want the one connection at once, with the store's dialect (waiters served in order) against
// Kysely's own SqliteDialect (a release wakes every waiter) on the same database in the same run. Both run the
// settings repository's statements on a migrated store, alternating rounds. 1× would mean no gain; the goal is a
// cost per operation that does not grow with the number of callers waiting.
// BENCH_STORE_CALLERS (1,10,100,1000), BENCH_STORE_OPERATIONS (20000 a round), BENCH_STORE_ROUNDS (3).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../src/store/database.js';
import { openDatabase, openSqliteConnection } from '../src/store/open-database.js';
import { getSetting, setSetting } from '../src/store/repos/settings.js';
import { FifoSqliteDialect } from '../src/store/sqlite-dialect.js';
import { transaction } from '../src/store/transaction.js';
import { median, report } from './support/measure.js';

const CALLERS = (process.env.BENCH_STORE_CALLERS ?? '1,10,100,1000').split(',').map(Number);
const OPERATIONS = Number(process.env.BENCH_STORE_OPERATIONS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_STORE_ROUNDS ?? 3);

type Operation = (db: Kysely<Database>, caller: number, n: number) => Promise<unknown>;

const operations: Record<string, Operation> = {
  'a read': (db, caller) => getSetting(db, `k${caller}`),
  'a transaction (read, write)': (db, caller, n) =>
    transaction(db, async (trx) => {
      await getSetting(trx, `k${caller}`);
      await setSetting(trx, `k${caller}`, String(n));
    }),
};

/** µs of wall time per operation with `callers` each running their share one after another. */
async function perOperation(db: Kysely<Database>, callers: number, operation: Operation): Promise<number> {
  const each = Math.max(1, Math.round(OPERATIONS / callers));
  const start = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      for (let n = 0; n < each; n++) await operation(db, caller, n);
    }),
  );
  return ((performance.now() - start) * 1000) / (callers * each);
}

export async function run(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'waygate-bench-store-'));
  await (await openDatabase({ dataDir })).close();
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqliteConnection(dataDir, 16) }) });
  const ours = new Kysely<Database>({ dialect: new FifoSqliteDialect(openSqliteConnection(dataDir, 16)) });
  try {
    console.log(`SQLite, one connection, ${OPERATIONS} operations a round over the callers, ${ROUNDS} alternating rounds (medians)`);
    for (const [name, operation] of Object.entries(operations)) {
      for (const callers of CALLERS) {
        const theirs: number[] = [];
        const mine: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          theirs.push(await perOperation(kysely, callers, operation));
          mine.push(await perOperation(ours, callers, operation));
        }
        const baseline = median(theirs);
        report(`${name}, ${callers} callers at once, Kysely's dialect (baseline)`, baseline, 'µs');
        report(`${name}, ${callers} callers at once, the store's`, median(mine), 'µs', { label: "Kysely's", value: baseline });
      }
    }
  } finally {
    await kysely.destroy();
    await ours.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}
