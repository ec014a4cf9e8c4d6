// Kysely's SQLite dialect, with the one connection handed out first come, first served.
//
// Kysely's SQLite driver guards its single connection with a lock whose release wakes every waiter at once: each
// re-checks, one takes it, the rest wait again. With W queries waiting, every statement or transaction costs W
// wake-ups, so at a thousand sessions busy at once (a burst of first messages, inbound traffic on every session) the
// event loop spent its time waking waiters: a read of the settings took 48 µs with 1,000 callers waiting against 11
// with 10 (`npm run bench -- store`). Here waiters queue, and a release wakes only the next one (18 µs).
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';

/**
 * How long one turn of the event loop may keep handing the connection from waiter to waiter. Each statement runs
 * synchronously and settles at once, so without a pause a burst of queued work (a thousand sessions' sends) runs
 * statement after statement, and all the work each one resumes, within one turn: at 1,000 sessions the event loop
 * was seen held for 0.4-1.75 s at a time at the start of each round of sends, with every socket (HTTP, WhatsApp)
 * waiting. Past this budget the next waiter is started from a fresh turn (setImmediate), after pending I/O.
 */
const TURN_BUDGET_MS = 10;

/** An exclusive lock whose waiters get it in the order they asked, pausing for I/O when they keep it busy long. */
export class FifoLock {
  #held = false;
  #waiters: (() => void)[] = [];
  #head = 0;
  /** When handing over started without a pause (the lock was free, or the last pause ended). */
  #busySince = 0;

  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      this.#busySince = performance.now();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    if (this.#head === this.#waiters.length) {
      this.#waiters.length = 0;
      this.#head = 0;
      this.#held = false;
      return;
    }
    const next = this.#waiters[this.#head++]!;
    // Under a long queue, drop the woken prefix now and then rather than shifting the array on every release.
    if (this.#head >= 1024 && this.#head * 2 >= this.#waiters.length) {
      this.#waiters = this.#waiters.slice(this.#head);
      this.#head = 0;
    }
    if (performance.now() - this.#busySince < TURN_BUDGET_MS) {
      next();
      return;
    }
    setImmediate(() => {
      this.#busySince = performance.now();
      next();
    });
  }
}

/** The one connection: a statement runs synchronously to its end (better-sqlite3), so nothing here streams. */
class SqliteConnection implements DatabaseConnection {
  constructor(private readonly database: SqliteDatabase) {}

  executeQuery<R>({ sql, parameters }: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.database.prepare(sql);
    if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as R[] });
    const { changes, lastInsertRowid } = statement.run(parameters);
    return Promise.resolve({ rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) });
  }

  async *streamQuery(): AsyncIterableIterator<QueryResult<never>> {
    throw new Error('the store does not stream SQLite queries');
  }
}

class FifoSqliteDriver implements Driver {
  readonly #lock = new FifoLock();
  readonly #connection: SqliteConnection;

  constructor(private readonly database: SqliteDatabase) {
    this.#connection = new SqliteConnection(database);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    this.#lock.release();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    this.database.close();
  }
}

/** SQLite through one better-sqlite3 connection (Kysely's query compiler, adapter and introspector). */
export class FifoSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SqliteDatabase) {
    super({ database });
  }

  override createDriver(): Driver {
    return new FifoSqliteDriver(this.database);
  }
}
