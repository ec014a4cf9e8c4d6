// Repository for `webhook_deliveries`: the per-target delivery queue. Rows of one (session, url) form a
// lane delivered in id order; only a lane's head (its oldest unsettled row) is ever eligible, which is what
// keeps deliveries ordered and makes a backing-off head hold back the rest of its lane.
import type { Db } from '../database.js';
import type { DeliveryState, WebhookDeliveryRow } from '../tables/webhook-deliveries.js';

export type { DeliveryState } from '../tables/webhook-deliveries.js';

export interface WebhookDelivery {
  id: number;
  eventId: string;
  sessionId: string;
  url: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
}

/** The settled fields written after an attempt. */
export interface DeliveryOutcome {
  state: Exclude<DeliveryState, 'in_flight'>;
  attempts: number;
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

const UNSETTLED: DeliveryState[] = ['pending', 'in_flight'];

function toDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    eventId: row.event_id,
    sessionId: row.session_id,
    url: row.url,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deliveredAt: row.delivered_at,
  };
}

/** Queues the event for each url, due now. A url that already has this event is left as it is. */
export async function enqueueDeliveries(
  db: Db,
  input: { eventId: string; sessionId: string; urls: readonly string[] },
  now = Date.now(),
): Promise<void> {
  if (input.urls.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(
      input.urls.map((url) => ({
        event_id: input.eventId,
        session_id: input.sessionId,
        url,
        state: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['event_id', 'url']).doNothing())
    .execute();
}

/**
 * The head of every lane, soonest due first, skipping lanes on `excludeUrls`. A head may not be due yet
 * (backing off) or may be `in_flight` under a lease; the caller compares `nextAttemptAt` with the clock.
 */
export async function listLaneHeads(
  db: Db,
  query: { excludeUrls: readonly string[]; limit: number },
): Promise<WebhookDelivery[]> {
  let heads = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_deliveries')
        .select((inner) => inner.fn.min('id').as('head_id'))
        .where('state', 'in', UNSETTLED)
        .groupBy(['session_id', 'url']),
    );
  if (query.excludeUrls.length > 0) heads = heads.where('url', 'not in', query.excludeUrls);
  const rows = await heads.orderBy('next_attempt_at').orderBy('id').limit(query.limit).execute();
  return rows.map(toDelivery);
}

/** Deliveries not settled yet (waiting, backing off or in flight): the webhook backlog. */
export async function countUnsettledDeliveries(db: Db): Promise<number> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
    .where('state', 'in', UNSETTLED)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Takes the head for one attempt, leasing it until `leaseUntil` (after which another dispatcher may
 * retake it, e.g. after a crash). Optimistic: fails if anyone changed the row since it was read.
 * @returns false when the row was taken or changed meanwhile.
 */
export async function claimDelivery(db: Db, head: WebhookDelivery, leaseUntil: number, now = Date.now()): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ state: 'in_flight', next_attempt_at: leaseUntil, updated_at: now })
    .where('id', '=', head.id)
    .where('state', '=', head.state)
    .where('next_attempt_at', '=', head.nextAttemptAt)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Settles an attempt on a claimed row. @returns false when the row is no longer in flight. */
export async function recordDeliveryOutcome(db: Db, id: number, outcome: DeliveryOutcome, now = Date.now()): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({
      state: outcome.state,
      attempts: outcome.attempts,
      next_attempt_at: outcome.nextAttemptAt,
      last_status: outcome.lastStatus,
      last_error: outcome.lastError,
      delivered_at: outcome.deliveredAt,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('state', '=', 'in_flight')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type RequeueFilter =
  | { eventId: string }
  | { sessionId: string; since: number; states: readonly Exclude<DeliveryState, 'pending' | 'in_flight'>[] };

/**
 * Puts settled rows back in the queue, due now, with a fresh attempt budget. `{ eventId }` re-queues every
 * settled target of that event; the session form re-queues rows in the given states whose event was
 * created at or after `since`. Unsettled rows are left alone.
 * @returns the number of rows re-queued.
 */
export async function requeueDeliveries(db: Db, filter: RequeueFilter, now = Date.now()): Promise<number> {
  let update = db
    .updateTable('webhook_deliveries')
    .set({ state: 'pending', attempts: 0, next_attempt_at: now, last_error: null, delivered_at: null, updated_at: now })
    .where('state', 'not in', UNSETTLED);
  if ('eventId' in filter) {
    update = update.where('event_id', '=', filter.eventId);
  } else {
    if (filter.states.length === 0) return 0;
    update = update
      .where('session_id', '=', filter.sessionId)
      .where('state', 'in', filter.states)
      .where('event_id', 'in', (eb) =>
        eb
          .selectFrom('outbox')
          .select('outbox.id')
          .where('outbox.session_id', '=', filter.sessionId)
          .where('outbox.created_at', '>=', filter.since),
      );
  }
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Newest first. */
export async function listDeliveries(
  db: Db,
  query: { sessionId?: string; eventId?: string; states?: readonly DeliveryState[]; limit: number },
): Promise<WebhookDelivery[]> {
  let select = db.selectFrom('webhook_deliveries').selectAll();
  if (query.sessionId !== undefined) select = select.where('session_id', '=', query.sessionId);
  if (query.eventId !== undefined) select = select.where('event_id', '=', query.eventId);
  if (query.states !== undefined && query.states.length > 0) select = select.where('state', 'in', query.states);
  const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map(toDelivery);
}
