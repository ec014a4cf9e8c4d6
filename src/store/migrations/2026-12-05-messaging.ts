// Migration 2026-12-05-messaging: the message store, reactions, the durable send queue with its requests
// (idempotency), stored media, and per-session send pacing. Frozen: never edit it once released.
//
// Same portable types as before: epoch-ms `bigint` (message timestamps are WhatsApp's unix seconds), 0/1
// integers, JSON as text. Rows belong to their session and go with it (cascade), except media: a file may be
// shared by several sessions and is pruned on its own.
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../database.js';

function autoIncrementId(dialect: Dialect): [type: 'integer' | 'bigint', build: (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return dialect === 'sqlite'
    ? ['integer', (col) => col.primaryKey().autoIncrement()]
    : ['bigint', (col) => col.primaryKey().generatedByDefaultAsIdentity()];
}

const session = (col: ColumnDefinitionBuilder) => col.notNull().references('sessions.id').onDelete('cascade');

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const [seqType, seqColumn] = autoIncrementId(dialect);

  await db.schema
    .createTable('messages')
    .addColumn('session_id', 'text', session)
    .addColumn('chat_jid', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('from_me', 'integer', (col) => col.notNull())
    .addColumn('sender_jid', 'text')
    .addColumn('sender_pn', 'text')
    .addColumn('sender_lid', 'text')
    .addColumn('push_name', 'text')
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('text', 'text')
    .addColumn('quoted_id', 'text')
    .addColumn('mentions', 'text')
    .addColumn('media_id', 'text')
    .addColumn('timestamp', 'bigint', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('status_at', 'bigint')
    .addColumn('edited_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('starred', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('raw', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('messages_pk', ['session_id', 'chat_jid', 'id'])
    .execute();
  await db.schema.createIndex('messages_id_idx').on('messages').columns(['session_id', 'id']).execute();
  await db.schema.createIndex('messages_chat_time_idx').on('messages').columns(['session_id', 'chat_jid', 'timestamp']).execute();
  await db.schema.createIndex('messages_created_idx').on('messages').columns(['created_at']).execute();

  await db.schema
    .createTable('message_reactions')
    .addColumn('session_id', 'text', session)
    .addColumn('chat_jid', 'text', (col) => col.notNull())
    .addColumn('message_id', 'text', (col) => col.notNull())
    .addColumn('reactor_jid', 'text', (col) => col.notNull())
    .addColumn('emoji', 'text', (col) => col.notNull())
    .addColumn('timestamp', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('message_reactions_pk', ['session_id', 'chat_jid', 'message_id', 'reactor_jid'])
    .execute();

  await db.schema
    .createTable('send_requests')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('session_id', 'text', session)
    .addColumn('principal', 'text', (col) => col.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('response', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('send_requests_idempotency_uq', ['principal', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('send_requests_created_idx').on('send_requests').columns(['created_at']).execute();

  await db.schema
    .createTable('outbound_messages')
    .addColumn('seq', seqType, seqColumn)
    .addColumn('session_id', 'text', session)
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('request_id', 'text', (col) => col.notNull())
    .addColumn('chat_jid', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('content', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('sent_at', 'bigint')
    .addUniqueConstraint('outbound_messages_id_uq', ['session_id', 'id'])
    .execute();
  // Serves the worker's queue head: a session's unsettled sends in acceptance order.
  await db.schema.createIndex('outbound_messages_queue_idx').on('outbound_messages').columns(['session_id', 'state', 'seq']).execute();
  await db.schema.createIndex('outbound_messages_request_idx').on('outbound_messages').columns(['request_id']).execute();

  await db.schema
    .createTable('media')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('mimetype', 'text', (col) => col.notNull())
    .addColumn('size', 'bigint')
    .addColumn('file_name', 'text')
    .addColumn('stored', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('source_session_id', 'text')
    .addColumn('source_chat_jid', 'text')
    .addColumn('source_message_id', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('last_used_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema.alterTable('sessions').addColumn('send_interval_ms', 'integer').execute();
  await db.schema.alterTable('sessions').addColumn('send_jitter_ms', 'integer').execute();
}
