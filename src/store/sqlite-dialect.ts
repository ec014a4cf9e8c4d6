// Kysely's SQLite dialect, with the one connection handed out first come, first served.
//
// Kysely's SQLite driver guards its single connection with a lock whose release wakes every waiter at once: each
// re-checks, one takes it, the rest wait again. With W queries waiting, every statement or transaction costs W
// wake-ups, so at a thousand sessions busy at once (a burst of first messages, inbound traffic on every session) the
// event loop spent its time waking waiters: 104 µs a select with 1,000 concurrent callers against 6 µs with 10
// (`npm run bench -- store`). Here waiters queue, and a release wakes only the next one.
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';

/** An exclusive lock whose waiters get it in the order they asked. */
export class FifoLock {
  #held = false;
  #waiters: (() => void)[] = [];
  #head = 0;

  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    if (this.#head === this.#waiters.length) {
      this.#held = false;
      return;
    }
    const next = this.#waiters[this.#head++]!;
    // Drop the woken prefix now and then, rather than shifting the array on every release.
    if (this.#head >= 1024 && this.#head * 2 >= this.#waiters.length) {
      this.#waiters = this.#waiters.slice(this.#head);
      this.#head = 0;
    }
    next();
  }

  get waiting(): number {
    return this.#waiters.length - this.#head;
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
