// Migration 2026-11-25-webhook-lanes: delivery lanes ordered by event, retry windows, and lease owners. Frozen:
// never edit it once released.
//
// `event_seq` copies the event's outbox position so a lane is delivered in event order even when a row is
// (re)queued later than the events after it; existing rows are backfilled from the outbox. `first_attempt_at`
// starts a row's retry window (rows already retrying get their creation time). `lease_owner` names the node
// holding an in-flight row, so a restarted node can release its own leases at once.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('webhook_deliveries')
    .addColumn('event_seq', 'bigint', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('webhook_deliveries').addColumn('first_attempt_at', 'bigint').execute();
  await db.schema.alterTable('webhook_deliveries').addColumn('lease_owner', 'text').execute();

  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      event_seq: eb.selectFrom('outbox').select('outbox.seq').whereRef('outbox.id', '=', 'webhook_deliveries.event_id'),
      first_attempt_at: sql`case when attempts > 0 then created_at end`,
    }))
    .execute();

  await db.schema.dropIndex('webhook_deliveries_lane_idx').execute();
  // Serves the lane-head query: unsettled rows of a (session, url) lane in event order.
  await db.schema
    .createIndex('webhook_deliveries_lane_seq_idx')
    .on('webhook_deliveries')
    .columns(['state', 'session_id', 'url', 'event_seq'])
    .execute();
}
