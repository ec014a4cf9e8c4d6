// Opens the store: SQLite (default, file in the data dir, WAL) or PostgreSQL (when a URL is given),
// then migrates it to the latest schema before anyone can use it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { withStatementCache } from './statement-cache.js';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Database, Dialect } from './database.js';
import { migrationProvider } from './migrations/index.js';
import { runPreparedQueriesWith } from './prepared-query.js';
import { FifoSqliteDialect } from './sqlite-dialect.js';
import { WalCheckpointer } from './wal-checkpointer.js';

export interface OpenDatabaseOptions {
  /** A postgres:// URL selects PostgreSQL; without it, SQLite at `<dataDir>/waygate.db`. */
  url?: string;
  dataDir: string;
  /** SQLite's page cache in MiB (default 16, better-sqlite3's own) */
  sqliteCacheMib?: number;
  logger?: Logger;
}

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
}

const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const WAL_CHECKPOINT_PAGES = 4_000;

async function postgresDialect(url: string, logger: Logger | undefined): Promise<PostgresDialect> {
  // Loaded only when PostgreSQL is used: a SQLite gateway does not carry the driver.
  const { default: pg } = await import('pg');
  // Epoch-ms timestamps and autoincrement ids are int8; pg returns those as strings by default. Parse them
  // to numbers for this pool only, so other pg users in the process keep the library default.
  const types: pg.CustomTypesConfig = {
    getTypeParser: (oid, format) =>
      oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
  };
  const pool = new pg.Pool({ connectionString: url, types });
  // A client losing its connection emits 'error'; unhandled, that would crash the process. The pool listens to
  // its idle clients only, and a checked-out client emits it too (after failing its query, which its caller
  // handles), so every client gets a listener of its own; the pool drops the broken client when it comes back.
  pool.on('error', (err) => logger?.error({ err }, 'postgres pool error'));
  pool.on('connect', (client) => client.on('error', (err) => logger?.warn({ err }, 'postgres connection lost')));
  return new PostgresDialect({ pool });
}

/** The SQLite connection the store runs on, configured, with its statement cache: `<dataDir>/waygate.db`. */
export function openSqliteConnection(dataDir: string, cacheMib: number): SQLite.Database {
  mkdirSync(dataDir, { recursive: true });
  const database = new SQLite(join(dataDir, 'waygate.db'));
  database.pragma('journal_mode = WAL');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  database.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode and much faster than FULL.
  database.pragma('synchronous = NORMAL');
  // A checkpoint copies the WAL into the database and syncs both, on the event loop, inside whichever commit
  // crosses the threshold, at about 9-13 µs a page here. SQLite's default (1,000 pages) meant one for every 25 or
  // so sends (a send writes about 40 pages), each with its fixed cost of syncs. At 4,000 pages a send's database
  // work takes 0.85-0.88x the time, and one checkpoint (about 37 ms here) stays under the 50 ms an inbound
  // message may take to reach its webhook; 10,000 pages would be cheaper still (0.78x) but stall 75-96 ms at a
  // time. The WAL file keeps its largest size (about 16 MB) once reached. The store hands checkpoints to a thread of
  // its own (wal-checkpointer.ts) and keeps this only as what its connection does should that thread fail.
  database.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  // Negative: a size in KiB rather than a page count.
  database.pragma(`cache_size = ${-cacheMib * 1024}`);
  return withStatementCache(database);
}

async function migrate(db: Kysely<Database>, dialect: Dialect, logger: Logger | undefined): Promise<void> {
  // Kysely looks for its migration tables in every schema unless told which one; pin the current schema
  // so another Waygate schema in the same PostgreSQL database is not mistaken for this one.
  const migrationTableSchema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({ db, provider: migrationProvider(dialect), migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') logger?.info({ migration: result.migrationName }, 'migration applied');
    if (result.status === 'Error') logger?.error({ migration: result.migrationName }, 'migration failed');
  }
  if (error) throw new Error(`database migration failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Store> {
  const dialect: Dialect = options.url ? 'postgres' : 'sqlite';
  const sqlite = options.url ? undefined : openSqliteConnection(options.dataDir, options.sqliteCacheMib ?? 16);
  let checkpointer: WalCheckpointer | undefined;
  const sqliteDialect = sqlite ? new FifoSqliteDialect(sqlite, () => checkpointer?.noteCommit()) : undefined;
  const db = new Kysely<Database>({ dialect: sqliteDialect ?? (await postgresDialect(options.url!, options.logger)) });
  if (sqliteDialect) runPreparedQueriesWith(db, sqliteDialect.statements);
  try {
    await migrate(db, dialect, options.logger);
    // Temporary B-trees (an ORDER BY, DISTINCT or IN that no index serves) in memory. As temporary files, each
    // statement needing one set up a pager whose buffers glibc's default malloc gave back to the system and faulted
    // in again every time: 140 µs a statement here, against 8 in memory (the send queue's head is one, twice a send).
    // bin/waygate's jemalloc or two arenas hide it; `node dist/main.js` did not. After the migrations, so that an
    // index built on a large table still sorts on disk.
    if (dialect === 'sqlite') await sql`pragma temp_store = memory`.execute(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  // After the migrations, which checkpoint as the connection would alone: a store nobody writes to starts no thread.
  if (sqlite) checkpointer = new WalCheckpointer(sqlite, (err) => options.logger?.error({ err }, 'SQLite WAL checkpoint'));
  return {
    db,
    dialect,
    async close() {
      await checkpointer?.close();
      await db.destroy();
    },
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
  };
}
