// Migration 2026-11-24-invites: invite governance. Every invite code a group had per session (lineage), the joins
// that came in through each, and the per-group invite policies. Frozen: never edit it once released.
//
// Same portable types as the initial migration: epoch-ms `bigint`, 0/1 integers, JSON as text. Rows belong to
// their session and go with it (cascade).
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../database.js';

function autoIncrementId(dialect: Dialect): [type: 'integer' | 'bigint', build: (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return dialect === 'sqlite'
    ? ['integer', (col) => col.primaryKey().autoIncrement()]
    : ['bigint', (col) => col.primaryKey().generatedByDefaultAsIdentity()];
}

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const [idType, idColumn] = autoIncrementId(dialect);

  await db.schema
    .createTable('invite_codes')
    .addColumn('id', idType, idColumn)
    .addColumn('session_id', 'text', (col) => col.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (col) => col.notNull())
    .addColumn('code', 'text', (col) => col.notNull())
    .addColumn('seen_at', 'bigint', (col) => col.notNull())
    .addColumn('seen_via', 'text', (col) => col.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoked_by', 'text')
    .addUniqueConstraint('invite_codes_group_code_uq', ['session_id', 'group_id', 'code'])
    .execute();
  await db.schema.createIndex('invite_codes_group_idx').on('invite_codes').columns(['session_id', 'group_id', 'id']).execute();

  await db.schema
    .createTable('invite_joins')
    .addColumn('id', idType, idColumn)
    .addColumn('session_id', 'text', (col) => col.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (col) => col.notNull())
    .addColumn('code', 'text')
    .addColumn('participant_jid', 'text', (col) => col.notNull())
    .addColumn('participant_lid', 'text')
    .addColumn('method', 'text', (col) => col.notNull())
    .addColumn('requested_at', 'bigint')
    .addColumn('joined_at', 'bigint')
    .execute();
  await db.schema.createIndex('invite_joins_group_idx').on('invite_joins').columns(['session_id', 'group_id', 'joined_at']).execute();

  await db.schema
    .createTable('invite_policies')
    .addColumn('session_id', 'text', (col) => col.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (col) => col.notNull())
    .addColumn('revoke_at', 'bigint')
    .addColumn('rotate_every', 'integer')
    .addColumn('next_rotate_at', 'bigint')
    .addColumn('one_time', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('flood_max_joins', 'integer')
    .addColumn('flood_window_seconds', 'integer')
    .addColumn('flood_enable_approval', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('disabled_reason', 'text')
    .addColumn('last_fired_at', 'bigint')
    .addColumn('last_fired_rule', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('invite_policies_pk', ['session_id', 'group_id'])
    .execute();
}
