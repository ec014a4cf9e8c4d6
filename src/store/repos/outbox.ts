// Repository for `outbox`: append, read and prune the durable event log.
import type { Db } from '../database.js';
import { changedRows, firstRow, preparedQuery } from '../prepared-query.js';
import type { OutboxRow } from '../tables/outbox.js';

export type EventPayload = Record<string, unknown>;

export interface OutboxEvent {
  seq: number;
  id: string;
  sessionId: string;
  event: string;
  payload: EventPayload;
  createdAt: number;
}

export interface NewOutboxEvent {
  id: string;
  sessionId: string;
  event: string;
  payload: EventPayload;
  createdAt: number;
}

function toEvent(row: OutboxRow): OutboxEvent {
  return {
    seq: row.seq,
    id: row.id,
    sessionId: row.session_id,
    event: row.event,
    payload: JSON.parse(row.payload) as EventPayload,
    createdAt: row.created_at,
  };
}

const insertEventQuery = preparedQuery((db: Db, p: { id: string; sessionId: string; event: string; payload: string; createdAt: number }) =>
  db
    .insertInto('outbox')
    .values({ id: p.id, session_id: p.sessionId, event: p.event, payload: p.payload, created_at: p.createdAt })
    .onConflict((oc) => oc.column('id').doNothing())
);

/** @returns false when an event with this id is already stored (nothing is written). */
export async function insertEvent(db: Db, event: NewOutboxEvent): Promise<boolean> {
  return (await changedRows(insertEventQuery(db, { ...event, payload: JSON.stringify(event.payload) }))) > 0;
}

const getEventQuery = preparedQuery((db: Db, p: { id: string }) => db.selectFrom('outbox').selectAll().where('id', '=', p.id));

export async function getEvent(db: Db, id: string): Promise<OutboxEvent | undefined> {
  const row = await firstRow(getEventQuery(db, { id }));
  return row && toEvent(row);
}

/** Events after `afterSeq` (exclusive), oldest first, of one session or of all: for consumers that resume from a cursor. */
export async function listEvents(
  db: Db,
  query: { sessionId?: string; afterSeq?: number; limit: number },
): Promise<OutboxEvent[]> {
  let select = db.selectFrom('outbox').selectAll().where('seq', '>', query.afterSeq ?? 0);
  if (query.sessionId !== undefined) select = select.where('session_id', '=', query.sessionId);
  const rows = await select.orderBy('seq').limit(query.limit).execute();
  return rows.map(toEvent);
}

/** A session's newest events, newest first. */
export async function listRecentEvents(db: Db, query: { sessionId: string; limit: number }): Promise<OutboxEvent[]> {
  const rows = await db.selectFrom('outbox').selectAll().where('session_id', '=', query.sessionId).orderBy('seq', 'desc').limit(query.limit).execute();
  return rows.map(toEvent);
}

/** The position of the newest event in the log (0 when empty). */
export async function latestEventSeq(db: Db): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/**
 * Deletes events created before `before` whose deliveries are all settled (their delivery rows go with
 * them). Events still waiting for delivery are kept whatever their age.
 * @returns the number of events deleted.
 */
export async function pruneEvents(db: Db, before: number): Promise<number> {
  const result = await db
    .deleteFrom('outbox')
    .where('created_at', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_deliveries')
            .select('webhook_deliveries.id')
            .whereRef('webhook_deliveries.event_id', '=', 'outbox.id')
            .where('webhook_deliveries.state', 'in', ['pending', 'in_flight']),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
