// Transactions that work the same on both dialects, nest by joining the outer transaction, and run
// after-commit hooks (used to wake dispatchers only once the rows they will read are visible).
import type { Transaction } from 'kysely';
import type { Database, Db } from './database.js';

type Hook = () => void;

const commitHooks = new WeakMap<Transaction<Database>, Hook[]>();
const openedOn = new WeakMap<Transaction<Database>, Db>();
/** Transactions whose function is still running: they hold their connection. */
const running = new WeakSet<Transaction<Database>>();

/** The database a transaction from `transaction()` was opened on; `db` itself when it is not a transaction. */
export function databaseOf(db: Db): Db {
  return db.isTransaction ? (openedOn.get(db as Transaction<Database>) ?? db) : db;
}

/** Whether `db` is a transaction from `transaction()` whose function has not ended yet (so it holds its connection). */
export function isRunningTransaction(db: Db): boolean {
  return db.isTransaction && running.has(db as Transaction<Database>);
}

/**
 * Runs `fn` in a transaction and commits if it resolves, rolls back if it throws. Given a transaction
 * (from this helper), `fn` joins it instead: Kysely cannot nest transactions, and repositories that need
 * atomicity should compose into their caller's transaction.
 */
export async function transaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  const hooks: Hook[] = [];
  const result = await db.transaction().execute(async (trx) => {
    commitHooks.set(trx, hooks);
    openedOn.set(trx, db);
    running.add(trx);
    try {
      return await fn(trx);
    } finally {
      running.delete(trx);
    }
  });
  for (const hook of hooks) hook();
  return result;
}

/**
 * Calls `hook` once the current write is committed: after the enclosing `transaction()` commits, or at
 * once when `db` is not a transaction (its statements auto-commit). Never called on rollback. The hook
 * must not throw: the data is already committed, and the error would reach the transaction's caller.
 */
export function afterCommit(db: Db, hook: Hook): void {
  if (!db.isTransaction) {
    hook();
    return;
  }
  const hooks = commitHooks.get(db as Transaction<Database>);
  if (!hooks) {
    throw new Error('afterCommit needs a transaction opened with transaction() from src/store/transaction.ts');
  }
  hooks.push(hook);
}
