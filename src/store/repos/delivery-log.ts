// Repository for `delivery_log`: record every webhook attempt, read them back, and keep the log bounded.
import { sql } from 'kysely';
import type { Db } from '../database.js';
import { preparedQuery } from '../prepared-query.js';
import type { DeliveryLogRow } from '../tables/delivery-log.js';

export interface DeliveryAttempt {
  eventId: string;
  sessionId: string;
  url: string;
  attempt: number;
  status: number | null;
  error: string | null;
  durationMs: number;
  at: number;
}

export interface DeliveryLogEntry extends DeliveryAttempt {
  id: number;
}

function toEntry(row: DeliveryLogRow): DeliveryLogEntry {
  return {
    id: row.id,
    eventId: row.event_id,
    sessionId: row.session_id,
    url: row.url,
    attempt: row.attempt,
    status: row.status,
    error: row.error,
    durationMs: row.duration_ms,
    at: row.at,
  };
}

const appendDeliveryAttemptQuery = preparedQuery((db: Db, a: DeliveryAttempt) =>
  db.insertInto('delivery_log').values({
    event_id: a.eventId,
    session_id: a.sessionId,
    url: a.url,
    attempt: a.attempt,
    status: a.status,
    error: a.error,
    duration_ms: a.durationMs,
    at: a.at,
  }),
);

export async function appendDeliveryAttempt(db: Db, attempt: DeliveryAttempt): Promise<void> {
  await appendDeliveryAttemptQuery(db, attempt);
}

/** Newest first. Filter by session, by event, or both. */
export async function listDeliveryAttempts(
  db: Db,
  query: { sessionId?: string; eventId?: string; limit: number },
): Promise<DeliveryLogEntry[]> {
  let select = db.selectFrom('delivery_log').selectAll();
  if (query.sessionId !== undefined) select = select.where('session_id', '=', query.sessionId);
  if (query.eventId !== undefined) select = select.where('event_id', '=', query.eventId);
  const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map(toEntry);
}

export interface DeliveryLogRetention {
  /** Delete attempts older than this epoch-ms instant. */
  before?: number;
  /** Keep only the newest N attempts of each session. */
  keepPerSession?: number;
}

/** @returns the number of attempts deleted. */
export async function pruneDeliveryLog(db: Db, retention: DeliveryLogRetention): Promise<number> {
  let deleted = 0n;
  if (retention.before !== undefined) {
    const result = await db.deleteFrom('delivery_log').where('at', '<', retention.before).executeTakeFirst();
    deleted += result.numDeletedRows;
  }
  if (retention.keepPerSession !== undefined) {
    const keep = retention.keepPerSession;
    const result = await db
      .deleteFrom('delivery_log')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom(
            eb
              .selectFrom('delivery_log')
              .select([
                'id',
                sql<number>`row_number() over (partition by session_id order by id desc)`.as('rank'),
              ])
              .as('ranked'),
          )
          .select('ranked.id')
          .where('ranked.rank', '>', keep),
      )
      .executeTakeFirst();
    deleted += result.numDeletedRows;
  }
  return Number(deleted);
}
