// The webhook-lanes migration on a queue written before it: rows get their event's outbox position, and rows
// already retrying get a retry window.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Dialect } from '../database.js';
import { TEST_DIALECTS } from '../testing.js';
import { migrationProvider } from './index.js';

const PG_URL = process.env.WAYGATE_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test';

async function emptyDatabase(dialect: Dialect): Promise<{ db: Kysely<any>; schema?: string; dispose(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    return { db, dispose: () => db.destroy() };
  }
  const schema = `wg_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const types: pg.CustomTypesConfig = {
    getTypeParser: (oid, format) => (oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)),
  };
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), types }) }) });
  return {
    db,
    schema,
    async dispose() {
      await db.destroy();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: migration 2026-11-25-webhook-lanes`, () => {
    it('backfills event order and retry windows of the rows already queued', async () => {
      const { db, schema, dispose } = await emptyDatabase(dialect);
      try {
        const migrator = new Migrator({ db, provider: migrationProvider(dialect), migrationTableSchema: schema });
        assert.equal((await migrator.migrateTo('2026-11-24-invites')).error, undefined);
        for (const id of ['e1', 'e2']) {
          await db.insertInto('outbox').values({ id, session_id: 's', event: 'call', payload: '{}', created_at: 1 }).execute();
        }
        const queued = { session_id: 's', url: 'http://a.test/hook', state: 'pending', next_attempt_at: 9, updated_at: 5 };
        await db.insertInto('webhook_deliveries').values({ ...queued, event_id: 'e2', attempts: 3, created_at: 7 }).execute();
        await db.insertInto('webhook_deliveries').values({ ...queued, event_id: 'e1', attempts: 0, created_at: 8 }).execute();

        assert.equal((await migrator.migrateToLatest()).error, undefined);
        const seqs = await db.selectFrom('outbox').select(['id', 'seq']).orderBy('id').execute();
        const rows = await db.selectFrom('webhook_deliveries').select(['event_id', 'event_seq', 'first_attempt_at', 'lease_owner']).orderBy('event_id').execute();
        assert.deepEqual(rows, [
          { event_id: 'e1', event_seq: seqs[0]?.seq, first_attempt_at: null, lease_owner: null },
          { event_id: 'e2', event_seq: seqs[1]?.seq, first_attempt_at: 7, lease_owner: null },
        ]);
      } finally {
        await dispose();
      }
    });
  });
}
