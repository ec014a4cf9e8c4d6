// Kysely's SQLite dialect, with the one connection handed out first come, first served, and writes that arrive
// together sharing one commit (`WriteGroup` below).
//
// Kysely's SQLite driver guards its single connection with a lock whose release wakes every waiter at once: each
// re-checks, one takes it, the rest wait again. With W queries waiting, every statement or transaction costs W
// wake-ups, so at a thousand sessions busy at once (a burst of first messages, inbound traffic on every session) the
// event loop spent its time waking waiters: a read of the settings took 48 µs with 1,000 callers waiting against 11
// with 10 (`npm run bench -- store`). Here waiters queue, and a release wakes only the next one (18 µs).
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { SqliteDialect, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';

/**
 * How long one turn of the event loop may keep handing the connection from waiter to waiter. Each statement runs
 * synchronously and settles at once, so without a pause a burst of queued work (a thousand sessions' sends) runs
 * statement after statement, and all the work each one resumes, within one turn: at 1,000 sessions the event loop
 * was seen held for 0.4-1.75 s at a time at the start of each round of sends, with every socket (HTTP, WhatsApp)
 * waiting. Past this budget the next waiter is started from a fresh turn (setImmediate), after pending I/O. It also
 * bounds how long a group of writes stays open under a queue that never empties (`WriteGroup`).
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

/**
 * Writes that arrive while a commit is still to come share it. SQLite's commit is the costly part of a small
 * write: it appends every page the transaction touched to the WAL, and the sends and messages of many sessions touch
 * the same pages (the tails of the queue, the message store, the outbox). So a write opens a group (`begin`), and
 * every transaction or writing statement that runs before the group commits joins it, a transaction as a savepoint
 * of its own (its rollback undoes only its work). The group commits at the end of the event-loop turn it opened in,
 * or once it has been open `TURN_BUDGET_MS`. A writer is answered only when its group has committed, so a
 * write nobody has been told of is all a crash can take, as before. A read runs at once, and inside an open
 * group it sees the group's writes: those become durable unless the process dies first, and then nothing that
 * followed from them was acknowledged to WhatsApp either.
 */
class WriteGroup {
  readonly openedAt = performance.now();
  readonly writers: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  commitScheduled = false;
}

/** The one connection: a statement runs synchronously to its end (better-sqlite3), so nothing here streams. */
class SqliteConnection implements DatabaseConnection {
  constructor(
    private readonly database: SqliteDatabase,
    private readonly beforeWrite: () => void,
    private readonly afterError: (err: unknown) => void,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return Promise.resolve(this.run<R>(query));
  }

  run<R>({ sql, parameters }: CompiledQuery): QueryResult<R> {
    const statement = this.database.prepare(sql);
    try {
      if (!statement.readonly) this.beforeWrite();
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      const { changes, lastInsertRowid } = statement.run(parameters);
      return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
    } catch (err) {
      this.afterError(err);
      throw err;
    }
  }

  async *streamQuery(): AsyncIterableIterator<QueryResult<never>> {
    throw new Error('the store does not stream SQLite queries');
  }
}

class FifoSqliteDriver implements Driver {
  readonly #lock = new FifoLock();
  readonly #connection: SqliteConnection;
  #group: WriteGroup | undefined;
  /** whether the connection's holder has written in the open group (and is answered when it commits) */
  #holderWrote = false;
  /** the holder's transaction: the group it opened, or a savepoint in a group already open */
  #holderTransaction: 'group' | 'savepoint' | undefined;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly afterCommit: () => void,
  ) {
    this.#connection = new SqliteConnection(database, () => this.#joinGroup(), (err) => this.#checkGroup(err));
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return this.#connection;
  }

  /**
   * One statement outside any transaction, with the connection taken and given back here rather than through
   * Kysely's executor: the same lock and the same answer at the group's commit, without the dozen promises a
   * statement costs on the way through Kysely's executor, connection provider and runtime driver.
   */
  async execute<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    await this.#lock.acquire();
    let result: QueryResult<R>;
    try {
      result = this.#connection.run<R>(query);
    } finally {
      await this.releaseConnection();
    }
    return result;
  }

  /** One statement of the transaction that holds the connection now. */
  executeHeld<R>(query: CompiledQuery): QueryResult<R> {
    return this.#connection.run<R>(query);
  }

  async releaseConnection(): Promise<void> {
    const group = this.#holderWrote ? this.#group : undefined;
    this.#holderWrote = false;
    if (!group) {
      this.#lock.release();
      return;
    }
    const committed = new Promise<void>((resolve, reject) => group.writers.push({ resolve, reject }));
    if (performance.now() - group.openedAt >= TURN_BUDGET_MS) {
      this.#commit();
    } else if (!group.commitScheduled) {
      group.commitScheduled = true;
      setImmediate(() => void this.#commitWhenFree(group));
    }
    this.#lock.release();
    return committed;
  }

  async beginTransaction(): Promise<void> {
    if (this.#group) this.#run('savepoint writer');
    this.#holderTransaction = this.#group ? 'savepoint' : 'group';
    this.#joinGroup();
  }

  async commitTransaction(): Promise<void> {
    if (this.#holderTransaction === 'savepoint') this.#run('release writer');
    this.#holderTransaction = undefined;
  }

  async rollbackTransaction(): Promise<void> {
    const kind = this.#holderTransaction;
    this.#holderTransaction = undefined;
    this.#holderWrote = false;
    // SQLite may have rolled back the whole group already (an I/O error, a full disk); #checkGroup saw to it.
    if (!this.database.inTransaction) return;
    if (kind === 'savepoint') {
      this.#run('rollback to writer');
      this.#run('release writer');
      return;
    }
    // A transaction that opened the group is its only writer: nobody joins before it gives the connection back.
    this.#run('rollback');
    this.#group = undefined;
  }

  async destroy(): Promise<void> {
    // A group is committed unless a transaction is still in the middle of its work (closing rolls that back).
    if (this.#group && !this.#holderTransaction) this.#commit();
    const unfinished = this.#group;
    this.#group = undefined;
    this.database.close();
    for (const writer of unfinished?.writers ?? []) writer.reject(new Error('the database was closed before this write was committed'));
  }

  #joinGroup(): void {
    this.#holderWrote = true;
    if (this.#group) return;
    this.#run('begin');
    this.#group = new WriteGroup();
  }

  async #commitWhenFree(group: WriteGroup): Promise<void> {
    await this.#lock.acquire();
    try {
      if (this.#group === group) this.#commit();
    } finally {
      this.#lock.release();
    }
  }

  /** Never throws: a commit that fails is each writer's error. */
  #commit(): void {
    const group = this.#group!;
    this.#group = undefined;
    try {
      this.#run('commit');
    } catch (err) {
      try {
        if (this.database.inTransaction) this.#run('rollback');
      } catch {
        // The connection is closed or broken: the writers below hear of the commit's error either way.
      }
      for (const writer of group.writers) writer.reject(err);
      return;
    }
    for (const writer of group.writers) writer.resolve();
    this.afterCommit();
  }

  /** After a failed statement: when SQLite rolled back the whole transaction, the group's writers hear of it. */
  #checkGroup(err: unknown): void {
    const group = this.#group;
    if (!group || this.database.inTransaction) return;
    this.#group = undefined;
    for (const writer of group.writers) writer.reject(err);
  }

  #run(sql: string): void {
    this.database.prepare(sql).run();
  }
}

export interface StatementRunner {
  execute<R>(query: CompiledQuery): Promise<QueryResult<R>>;
  executeHeld<R>(query: CompiledQuery): QueryResult<R>;
}

/** SQLite through one better-sqlite3 connection (Kysely's query compiler, adapter and introspector). */
export class FifoSqliteDialect extends SqliteDialect {
  /** `afterCommit` runs after each commit (the store's checkpointer counts them). */
  constructor(
    private readonly database: SqliteDatabase,
    private readonly afterCommit: () => void = () => {},
  ) {
    super({ database });
  }

  #driver: FifoSqliteDriver | undefined;

  override createDriver(): Driver {
    this.#driver = new FifoSqliteDriver(this.database, this.afterCommit);
    return this.#driver;
  }

  /** Runs compiled statements on the driver Kysely was given (see `FifoSqliteDriver.execute`); after `new Kysely`. */
  get statements(): StatementRunner {
    const driver = this.#driver;
    if (!driver) throw new Error('the dialect has no driver yet: create the Kysely instance first');
    return { execute: (query) => driver.execute(query), executeHeld: (query) => driver.executeHeld(query) };
  }
}
