// Migration 2026-12-06-chats: the chat and contact store. Frozen: never edit it once released.
//
// Per session: one row per chat (unread count, archive, pin, mute, clear, marked unread, whether it has media)
// and per contact (PN, LID, address-book, push and verified names). Indexes serve the chat list's sort orders
// and the PN↔LID lookups at 10,000 chats per session. Rows go with their session (cascade).
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../database.js';

const session = (col: ColumnDefinitionBuilder) => col.notNull().references('sessions.id').onDelete('cascade');

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('chats')
    .addColumn('session_id', 'text', session)
    .addColumn('jid', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('name', 'text')
    .addColumn('last_message_id', 'text')
    .addColumn('last_message_at', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('unread_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('archived', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('pinned_at', 'bigint')
    .addColumn('muted_until', 'bigint')
    .addColumn('cleared_at', 'bigint')
    .addColumn('marked_unread', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('has_media', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('chats_pk', ['session_id', 'jid'])
    .execute();
  await db.schema.createIndex('chats_last_message_idx').on('chats').columns(['session_id', 'last_message_at', 'jid']).execute();
  await db.schema.createIndex('chats_unread_idx').on('chats').columns(['session_id', 'unread_count', 'jid']).execute();
  await db.schema.createIndex('chats_name_idx').on('chats').columns(['session_id', 'name']).execute();

  await db.schema
    .createTable('contacts')
    .addColumn('session_id', 'text', session)
    .addColumn('jid', 'text', (col) => col.notNull())
    .addColumn('pn', 'text')
    .addColumn('lid', 'text')
    .addColumn('name', 'text')
    .addColumn('notify', 'text')
    .addColumn('verified_name', 'text')
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('contacts_pk', ['session_id', 'jid'])
    .execute();
  await db.schema.createIndex('contacts_lid_idx').on('contacts').columns(['session_id', 'lid']).execute();
  await db.schema.createIndex('contacts_pn_idx').on('contacts').columns(['session_id', 'pn']).execute();
}
