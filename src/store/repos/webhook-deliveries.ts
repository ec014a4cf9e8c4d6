// Repository for `webhook_deliveries`: the per-target delivery queue. Rows of one (session, url) form a
// lane delivered in event order (the outbox `seq`); only a lane's head is ever eligible, which is what keeps
// deliveries ordered and makes a backing-off head hold back the rest of its lane.
import type { ExpressionBuilder } from 'kysely';
import type { Database, Db } from '../database.js';
import type { DeliveryState, WebhookDeliveriesTable, WebhookDeliveryRow } from '../tables/webhook-deliveries.js';

export type { DeliveryState } from '../tables/webhook-deliveries.js';

export interface WebhookDelivery {
  id: number;
  eventId: string;
  sessionId: string;
  url: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: number;
  /** When the retry window started; null before the first attempt. */
  firstAttemptAt: number | null;
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
  firstAttemptAt: number | null;
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
    firstAttemptAt: row.first_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deliveredAt: row.delivered_at,
  };
}

/**
 * Whether row `d` heads its lane. A pending row waits for any row of its lane in flight and for every
 * unsettled row before it in event order; a row in flight (already under way, or a lease to retake) waits
 * only for an earlier one in flight, so two rows in flight after a lost race can never block each other.
 */
function isLaneHead(eb: ExpressionBuilder<Database & { d: WebhookDeliveriesTable }, 'd'>) {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('webhook_deliveries as o')
        .select('o.id')
        .whereRef('o.session_id', '=', 'd.session_id')
        .whereRef('o.url', '=', 'd.url')
        .where('o.state', 'in', UNSETTLED)
        .where((o) =>
          o.or([
            o.and([o('d.state', '=', 'pending'), o('o.state', '=', 'in_flight')]),
            o.and([
              o('o.event_seq', '<', o.ref('d.event_seq')),
              o.or([o('d.state', '=', 'pending'), o('o.state', '=', 'in_flight')]),
            ]),
          ]),
        ),
    ),
  );
}

/** Queues the event for each url, due now. A url that already has this event is left as it is. */
export async function enqueueDeliveries(
  db: Db,
  input: { eventId: string; sessionId: string; urls: readonly string[] },
  now = Date.now(),
): Promise<void> {
  if (input.urls.length === 0) return;
  const eventSeq = db.selectFrom('outbox').select('outbox.seq').where('outbox.id', '=', input.eventId);
  await db
    .insertInto('webhook_deliveries')
    .values(
      input.urls.map((url) => ({
        event_id: input.eventId,
        event_seq: eventSeq,
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
 * The head of every lane, soonest due first: only lanes to `url` when given, skipping lanes to
 * `excludeUrls`, only heads in `state` when given. A head may not be due yet (backing off) or may be
 * `in_flight` under a lease; the caller compares `nextAttemptAt` with the clock.
 */
export async function listLaneHeads(
  db: Db,
  query: { excludeUrls?: readonly string[]; url?: string; state?: DeliveryState; limit: number },
): Promise<WebhookDelivery[]> {
  let heads = db
    .selectFrom('webhook_deliveries as d')
    .selectAll('d')
    .where('d.state', 'in', query.state ? [query.state] : UNSETTLED)
    .where(isLaneHead);
  if (query.url !== undefined) heads = heads.where('d.url', '=', query.url);
  if (query.excludeUrls?.length) heads = heads.where('d.url', 'not in', query.excludeUrls);
  const rows = await heads.orderBy('d.next_attempt_at').orderBy('d.event_seq').limit(query.limit).execute();
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
 * Takes the head for one attempt, leased to `lease.owner` until `lease.until` (after which another dispatcher
 * may retake it, e.g. after a crash). Optimistic: fails if anyone changed the row since it was read, or if
 * it no longer heads its lane (a replay re-queued an earlier event, or another row was taken meanwhile).
 * @returns false when the row was not taken.
 */
export async function claimDelivery(
  db: Db,
  head: WebhookDelivery,
  lease: { until: number; owner: string },
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries as d')
    .set({ state: 'in_flight', next_attempt_at: lease.until, lease_owner: lease.owner, updated_at: now })
    .where('d.id', '=', head.id)
    .where('d.state', '=', head.state)
    .where('d.next_attempt_at', '=', head.nextAttemptAt)
    .where(isLaneHead)
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
      first_attempt_at: outcome.firstAttemptAt,
      last_status: outcome.lastStatus,
      last_error: outcome.lastError,
      delivered_at: outcome.deliveredAt,
      lease_owner: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('state', '=', 'in_flight')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Hands back, due now, the rows `owner` left in flight: the node restarted, so none of its attempts is still
 * running. The interrupted attempts are not counted (their outcome is unknown). Other nodes' leases stay.
 * @returns the number of rows released.
 */
export async function releaseLeases(db: Db, owner: string, now = Date.now()): Promise<number> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ state: 'pending', next_attempt_at: now, lease_owner: null, updated_at: now })
    .where('state', '=', 'in_flight')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Makes every pending row to `url` that is backing off due now: the target answered again, so its backlog
 * need not wait out backoffs chosen while it was down.
 * @returns the number of rows brought forward.
 */
export async function expediteDeliveries(db: Db, url: string, now = Date.now()): Promise<number> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: now, updated_at: now })
    .where('state', '=', 'pending')
    .where('url', '=', url)
    .where('next_attempt_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export type RequeueFilter =
  | { eventId: string }
  | { sessionId: string; since: number; states: readonly Exclude<DeliveryState, 'pending' | 'in_flight'>[] };

/**
 * Puts settled rows back in the queue, due now, with a fresh attempt budget and retry window. A row keeps
 * its place in event order, so it goes out before any later event of its lane that is still waiting.
 * `{ eventId }` re-queues every settled target of that event; the session form re-queues rows in the given
 * states whose event was created at or after `since`. Unsettled rows are left alone.
 * @returns the number of rows re-queued.
 */
export async function requeueDeliveries(db: Db, filter: RequeueFilter, now = Date.now()): Promise<number> {
  let update = db
    .updateTable('webhook_deliveries')
    .set({
      state: 'pending',
      attempts: 0,
      next_attempt_at: now,
      first_attempt_at: null,
      last_error: null,
      delivered_at: null,
      updated_at: now,
    })
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

export interface DeliveryWithEvent extends WebhookDelivery {
  /** The event's dotted name. */
  event: string;
}

/** A session's deliveries, newest first, each with its event's name; optionally only some states and events. */
export async function listDeliveriesWithEvents(
  db: Db,
  query: { sessionId: string; states?: readonly DeliveryState[]; events?: readonly string[]; limit: number },
): Promise<DeliveryWithEvent[]> {
  let select = db
    .selectFrom('webhook_deliveries')
    .innerJoin('outbox', 'outbox.id', 'webhook_deliveries.event_id')
    .selectAll('webhook_deliveries')
    .select('outbox.event')
    .where('webhook_deliveries.session_id', '=', query.sessionId);
  if (query.states?.length) select = select.where('webhook_deliveries.state', 'in', query.states);
  if (query.events?.length) select = select.where('outbox.event', 'in', query.events);
  const rows = await select.orderBy('webhook_deliveries.id', 'desc').limit(query.limit).execute();
  return rows.map((row) => ({ ...toDelivery(row), event: row.event }));
}
