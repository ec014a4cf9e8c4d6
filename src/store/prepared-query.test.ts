import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Db } from './database.js';
import type { Store } from './open-database.js';
import { changedRows, firstRow, preparedQuery, rowParams, rowsOf, type RowValues } from './prepared-query.js';
import { TEST_DIALECTS, openTestStore } from './testing.js';
import { transaction } from './transaction.js';

const SETTING_COLUMNS = ['key', 'value', 'updated_at'] as const;

const insertSettings = preparedQuery((db: Db, p: RowValues, shape: string) =>
  db.insertInto('settings').values(rowsOf(p, SETTING_COLUMNS, Number(shape)) as { key: string; value: string; updated_at: number }[])
);
const readSetting = preparedQuery((db: Db, p: { key: string }) => db.selectFrom('settings').select(['key', 'value', 'updated_at']).where('key', '=', p.key));
/** The shape picks the column an update sets; the values stay parameters. */
const touchSetting = preparedQuery((db: Db, p: { key: string; value: string; at: number }, shape: 'value' | 'time') =>
  db
    .updateTable('settings')
    .set(shape === 'value' ? { value: p.value } : { updated_at: p.at })
    .where('key', '=', p.key)
);

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: prepared queries`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
    });
    after(() => store.close());

    it('runs one compiled statement with new values each time, in and out of transactions', async () => {
      const rows = [
        { key: 'p.a', value: 'one', updated_at: 1 },
        { key: 'p.b', value: 'two', updated_at: 2 }
      ];
      await insertSettings(store.db, rowParams(rows), '2');
      await transaction(store.db, (trx) => insertSettings(trx, rowParams([{ key: 'p.c', value: 'three', updated_at: 3 }]), '1'));
      for (const row of [...rows, { key: 'p.c', value: 'three', updated_at: 3 }]) {
        const read = await firstRow(readSetting(store.db, { key: row.key }));
        assert.deepEqual({ ...read, updated_at: Number(read?.updated_at) }, row);
      }
      assert.equal(await firstRow(readSetting(store.db, { key: 'p.none' })), undefined);
    });

    it('keeps shapes apart and counts the rows a statement changed', async () => {
      assert.equal(await changedRows(touchSetting(store.db, { key: 'p.a', value: 'uno', at: 10 }, 'value')), 1);
      assert.equal(await changedRows(touchSetting(store.db, { key: 'p.a', value: 'ignored', at: 11 }, 'time')), 1);
      assert.equal(await changedRows(touchSetting(store.db, { key: 'p.none', value: 'x', at: 12 }, 'value')), 0);
      const read = await firstRow(readSetting(store.db, { key: 'p.a' }));
      assert.deepEqual([read?.value, Number(read?.updated_at)], ['uno', 11]);
    });

    it('runs inside the transaction it is given: undone with it, and refused once its function has ended', async () => {
      await assert.rejects(
        transaction(store.db, async (trx) => {
          await insertSettings(trx, rowParams([{ key: 'p.undone', value: 'x', updated_at: 1 }]), '1');
          assert.equal((await firstRow(readSetting(trx, { key: 'p.undone' })))?.value, 'x', 'seen inside the transaction');
          throw new Error('the caller changed its mind');
        }),
        /changed its mind/
      );
      assert.equal(await firstRow(readSetting(store.db, { key: 'p.undone' })), undefined);
      let leaked: Db | undefined;
      await transaction(store.db, async (trx) => {
        leaked = trx;
      });
      await assert.rejects(insertSettings(leaked!, rowParams([{ key: 'p.late', value: 'x', updated_at: 1 }]), '1'), /already committed/);
      assert.equal(await firstRow(readSetting(store.db, { key: 'p.late' })), undefined);
    });

    it('refuses a builder that writes a value into the SQL text, or reads one it does not use', async () => {
      const inlined = preparedQuery((db: Db, p: { key: string }) => db.selectFrom('settings').selectAll().where('key', '=', sql.lit(p.key)));
      await assert.rejects(inlined(store.db, { key: 'p.a' }), /into its SQL text/);
      const unused = preparedQuery((db: Db, p: { key: string; other: string }) => db.selectFrom('settings').selectAll().where('key', '=', p.key === '' ? p.other : 'p.a'));
      await assert.rejects(unused(store.db, { key: 'p.a', other: 'x' }), /reads key/);
    });

    it('refuses a call that leaves a value out, where Kysely would silently leave the column alone', async () => {
      await assert.rejects(touchSetting(store.db, { key: 'p.a', at: 13 } as { key: string; value: string; at: number }, 'value'), /no value for value/);
      assert.equal((await firstRow(readSetting(store.db, { key: 'p.a' })))?.value, 'uno');
      await assert.rejects(insertSettings(store.db, rowParams([{ key: 'p.short', value: 'x', updated_at: 1 }]), '2'), /no row 1 \(1 given\)/);
      assert.equal(await firstRow(readSetting(store.db, { key: 'p.short' })), undefined);
    });
  });
}
