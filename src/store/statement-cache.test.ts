import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  it('compiles a query text once and keeps answering correctly, also after the schema changes', async () => {
    const database = new SQLite(':memory:');
    let compiled = 0;
    const prepare = database.prepare.bind(database);
    database.prepare = ((source: string) => {
      compiled++;
      return prepare(source);
    }) as typeof database.prepare;
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
    await sql`create table t (id integer primary key, name text)`.execute(db);
    for (let i = 0; i < 5; i++) await db.insertInto('t').values({ id: i, name: `n${i}` }).execute();
    const before = compiled;
    const rows = await db.selectFrom('t').selectAll().where('id', '>=', 3).execute();
    const again = await db.selectFrom('t').selectAll().where('id', '>=', 1).execute();
    assert.deepEqual(rows.map((r) => r.id), [3, 4]);
    assert.deepEqual(again.map((r) => r.id), [1, 2, 3, 4]);
    assert.equal(compiled, before + 1, 'the same select text is compiled once');
    await sql`alter table t add column extra text`.execute(db);
    const afterAlter = await db.selectFrom('t').selectAll().where('id', '>=', 4).execute();
    assert.deepEqual(afterAlter, [{ id: 4, name: 'n4', extra: null }]);
    await db.destroy();
    assert.equal(database.open, false, 'closing goes through to the database');
  });

  it('keeps the statements in use when many one-off texts pass through', async () => {
    const database = new SQLite(':memory:');
    const compiledTexts: string[] = [];
    const prepare = database.prepare.bind(database);
    database.prepare = ((source: string) => {
      compiledTexts.push(source);
      return prepare(source);
    }) as typeof database.prepare;
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
    await sql`create table t (id integer primary key)`.execute(db);
    const hot = () => db.selectFrom('t').selectAll().where('id', '=', 1).execute();
    await hot();
    for (let i = 0; i < 2_000; i++) {
      await sql`select ${sql.lit(i)} as one_off`.execute(db);
      if (i % 100 === 0) await hot();
    }
    const hotText = compiledTexts.find((text) => text.startsWith('select * from "t"'));
    assert.equal(compiledTexts.filter((text) => text === hotText).length, 1, 'the statement in use stays compiled');
    await db.destroy();
  });
});
