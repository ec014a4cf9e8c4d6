import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { eventually } from '../events/test-receiver.js';
import { openDatabase } from './open-database.js';
import { BACKSTOP_PAGES } from './wal-checkpointer.js';

const sizeOf = async (file: string) => (await stat(file)).size;
const exists = (file: string) => stat(file).then(() => true, () => false);

describe('sqlite: WAL checkpoints on a thread of their own', () => {
  it('copies what the store commits into the database file, far below the threshold at which the store itself would', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'waygate-checkpoint-'));
    const file = join(dataDir, 'waygate.db');
    const store = await openDatabase({ dataDir });
    try {
      await sql`create table scratch (value text not null)`.execute(store.db);
      const before = await sizeOf(file);
      // About 2,000 pages of 4 KiB, an eighth of BACKSTOP_PAGES: the store's own connection copies none of them.
      const rows = BACKSTOP_PAGES / 8;
      const value = 'x'.repeat(3_500);
      for (let i = 0; i < rows; i++) await sql`insert into scratch (value) values (${`${value}${i}`})`.execute(store.db);
      await eventually(async () => (await sizeOf(file)) >= before + rows * value.length, 10_000);
      const [{ count }] = (await sql<{ count: number }>`select count(*) as count from scratch`.execute(store.db)).rows as [{ count: number }];
      assert.equal(count, rows);
    } finally {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('ends its thread and its connection with the store: the last connection to close removes the WAL', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'waygate-checkpoint-'));
    const file = join(dataDir, 'waygate.db');
    try {
      const store = await openDatabase({ dataDir });
      await sql`create table scratch (value text not null)`.execute(store.db);
      for (let i = 0; i < 200; i++) await sql`insert into scratch (value) values (${'y'.repeat(3_500)})`.execute(store.db);
      const before = await sizeOf(file);
      // The thread has run (it copied pages), so it holds a connection of its own until the store closes.
      await eventually(async () => (await sizeOf(file)) > before, 10_000);
      assert.equal(await exists(`${file}-wal`), true);
      await store.close();
      assert.equal(await exists(`${file}-wal`), false, 'a connection left open keeps the WAL file');

      const reopened = await openDatabase({ dataDir });
      const [{ count }] = (await sql<{ count: number }>`select count(*) as count from scratch`.execute(reopened.db)).rows as [{ count: number }];
      assert.equal(count, 200);
      await reopened.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
