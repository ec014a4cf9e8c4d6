// Migration 2026-12-05-webhook-actions: the outcomes of the actions webhook replies ask for. Frozen: never edit
// it once released.
//
// Rows belong to the delivery whose reply asked for them and go with it (cascade), so the event log's pruning
// keeps them bounded too. Same portable types as before: epoch-ms `bigint`, text.
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // The types of the autoincrement columns, as webhook_deliveries.id has them.
  const idType = dialect === 'sqlite' ? 'integer' : 'bigint';
  await db.schema
    .createTable('webhook_actions')
    .addColumn('id', idType, (col) => (dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity()))
    .addColumn('delivery_id', idType, (col) => col.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (col) => col.notNull())
    .addColumn('session_id', 'text', (col) => col.notNull())
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('error', 'text')
    .addColumn('message_id', 'text')
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('webhook_actions_delivery_idx').on('webhook_actions').columns(['delivery_id', 'id']).execute();
}
