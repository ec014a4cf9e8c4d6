// Migration 2026-12-08-webhook-unsettled-lanes: the delivery queue's lane index holds unsettled rows only, lane
// first. The dispatcher walks the lanes that have work (one index seek per lane) and reads each lane's head by
// seek, so a backlog of B deliveries costs O(lanes · log B) per scan instead of O(B); delivered, failed and dead
// rows, the bulk of the table over time, no longer weigh on it. A session's deliveries are indexed in id order for
// its delivery log. Frozen: never edit it once released.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_lane_seq_idx').execute();
  // Queries use the same literal predicate (not bound parameters), or the planners cannot prove it matches.
  await db.schema
    .createIndex('webhook_deliveries_unsettled_lane_idx')
    .on('webhook_deliveries')
    .columns(['session_id', 'url', 'state', 'event_seq'])
    .where(sql.ref('state'), 'in', [sql.lit('pending'), sql.lit('in_flight')])
    .execute();
  // A session's deliveries are listed newest first; (session_id, state) served that with a sort, and without
  // statistics PostgreSQL preferred it to the lane index for lane heads and read a whole session to find one.
  await db.schema.dropIndex('webhook_deliveries_session_idx').execute();
  await db.schema.createIndex('webhook_deliveries_session_id_idx').on('webhook_deliveries').columns(['session_id', 'id']).execute();
}
