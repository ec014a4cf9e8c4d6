// better-sqlite3 compiles a statement on every `prepare`, and Kysely's SQLite driver prepares each query it runs:
// under load that compiling was a fifth of the time spent in the database layer (a CPU profile of the messaging
// bench). The same handful of query texts repeat, so compiled statements are kept, a bounded number of them,
// least recently used out first: a burst of one-off texts must not push out the ones every request runs.
// Safe because statements run synchronously to completion (nothing here streams), and SQLite recompiles a kept
// statement by itself if the schema changes under it.
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

const MAX_STATEMENTS = 500;

/** The database as Kysely's SqliteDialect sees it, with `prepare` answered from a cache of compiled statements. */
export function withStatementCache(database: SqliteDatabase): SqliteDatabase {
  const statements = new Map<string, Statement>();
  const prepare = (source: string): Statement => {
    const kept = statements.get(source);
    if (kept) {
      statements.delete(source);
      statements.set(source, kept);
      return kept;
    }
    const statement = database.prepare(source);
    if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
    statements.set(source, statement);
    return statement;
  };
  return new Proxy(database, {
    get: (target, property) => {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    }
  });
}
