// Migration 2026-11-23-initial: the first schema. Frozen: never edit it once released; add a new migration.
//
// Portable types on both dialects: timestamps are epoch milliseconds in `bigint` (INTEGER affinity in
// SQLite), booleans are 0/1 integers, JSON is text. Only the autoincrement columns differ per dialect.
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../database.js';

type AutoIdColumn = [type: 'integer' | 'bigint', build: (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder];

function autoIncrementId(dialect: Dialect): AutoIdColumn {
  // SQLite only treats exactly `integer primary key autoincrement` as a never-reused rowid.
  return dialect === 'sqlite'
    ? ['integer', (col) => col.primaryKey().autoIncrement()]
    : ['bigint', (col) => col.primaryKey().generatedByDefaultAsIdentity()];
}

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const [idType, idColumn] = autoIncrementId(dialect);

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('registry', 'text', (col) => col.notNull().unique())
    .addColumn('key_hash', 'text', (col) => col.notNull().unique())
    .addColumn('is_admin', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();

  // Default NO ACTION (not RESTRICT, which SQLite reports as a trigger error): a key that still owns
  // sessions cannot be deleted.
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('owner_key_id', 'text', (col) => col.notNull().references('api_keys.id'))
    .addColumn('label', 'text')
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('STOPPED'))
    .addColumn('access_token_hash', 'text')
    .addColumn('webhook_url', 'text')
    .addColumn('webhook_secret', 'text')
    .addColumn('webhook_events', 'text')
    .addColumn('auto_start', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('should_run', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('me_id', 'text')
    .addColumn('me_lid', 'text')
    .addColumn('me_name', 'text')
    .addColumn('last_connected_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('sessions_owner_idx').on('sessions').column('owner_key_id').execute();

  await db.schema
    .createTable('auth_creds')
    .addColumn('session_id', 'text', (col) => col.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('creds', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('auth_keys')
    .addColumn('session_id', 'text', (col) => col.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('key_id', 'text', (col) => col.notNull())
    .addColumn('value', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('auth_keys_pk', ['session_id', 'type', 'key_id'])
    .execute();

  // No foreign key to sessions: the log outlives the sessions it describes (a deletion is itself an event).
  await db.schema
    .createTable('outbox')
    .addColumn('seq', idType, idColumn)
    .addColumn('id', 'text', (col) => col.notNull().unique())
    .addColumn('session_id', 'text', (col) => col.notNull())
    .addColumn('event', 'text', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('outbox_session_seq_idx').on('outbox').columns(['session_id', 'seq']).execute();
  await db.schema.createIndex('outbox_created_idx').on('outbox').column('created_at').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', idType, idColumn)
    .addColumn('event_id', 'text', (col) => col.notNull().references('outbox.id').onDelete('cascade'))
    .addColumn('session_id', 'text', (col) => col.notNull())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addColumn('delivered_at', 'bigint')
    .addUniqueConstraint('webhook_deliveries_event_url_uq', ['event_id', 'url'])
    .execute();
  // Serves the lane-head query: active rows grouped per (session, url) in id order.
  await db.schema
    .createIndex('webhook_deliveries_lane_idx')
    .on('webhook_deliveries')
    .columns(['state', 'session_id', 'url', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_session_idx')
    .on('webhook_deliveries')
    .columns(['session_id', 'state'])
    .execute();

  await db.schema
    .createTable('delivery_log')
    .addColumn('id', idType, idColumn)
    .addColumn('event_id', 'text', (col) => col.notNull())
    .addColumn('session_id', 'text', (col) => col.notNull())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('attempt', 'integer', (col) => col.notNull())
    .addColumn('status', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('delivery_log_session_idx').on('delivery_log').columns(['session_id', 'id']).execute();
  await db.schema.createIndex('delivery_log_event_idx').on('delivery_log').column('event_id').execute();
  await db.schema.createIndex('delivery_log_at_idx').on('delivery_log').column('at').execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
}
