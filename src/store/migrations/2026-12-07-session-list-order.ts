// Migration 2026-12-07-session-list-order: an index in the order session lists are read (oldest first, by id
// on a tie), so listing every session walks the index instead of sorting the table on each read. Frozen: never
// edit it once released.
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('sessions_created_idx').on('sessions').columns(['created_at', 'id']).execute();
}
