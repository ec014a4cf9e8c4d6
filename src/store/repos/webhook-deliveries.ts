// Repository for `webhook_deliveries`: the per-target delivery queue. Rows of one (session, url) form a
// lane delivered in event order (the outbox `seq`); only a lane's head is ever eligible, which is what keeps
// deliveries ordered and makes a backing-off head hold back the rest of its lane.
import { sql, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database, Db } from '../database.js';
import { changedRows, firstRow, preparedQuery } from '../prepared-query.js';
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
 * `ref` is pending or in flight, spelled with literals as the lane index's predicate is: the planners use a
 * partial index only for a query whose terms they can match to it, and a bound parameter cannot be matched.
 */
function isUnsettled(ref: string) {
  return sql<SqlBool>`${sql.ref(ref)} in ('pending', 'in_flight')`;
}

type Deliveries<Alias extends string> = Database & { [A in Alias]: WebhookDeliveriesTable };

/** Whether d's lane holds a row in `state`, before d in event order when `beforeD`. */
function laneOfDHolds(eb: ExpressionBuilder<Deliveries<'d'>, 'd'>, state: 'pending' | 'in_flight', beforeD: boolean) {
  let rows = eb
    .selectFrom('webhook_deliveries as o')
    .select('o.id')
    .whereRef('o.session_id', '=', 'd.session_id')
    .whereRef('o.url', '=', 'd.url')
    .where(isUnsettled('o.state'))
    .where('o.state', '=', sql.lit(state));
  if (beforeD) rows = rows.whereRef('o.event_seq', '<', 'd.event_seq');
  return eb.exists(rows);
}

/**
 * Whether row `d`, in `state`, heads its lane. A pending row waits for any row of its lane in flight and for
 * every pending row before it in event order; a row in flight (already under way, or a lease to retake) waits
 * only for an earlier one in flight, so two rows in flight after a lost race can never block each other.
 */
function headsItsLane(state: 'pending' | 'in_flight') {
  return (eb: ExpressionBuilder<Deliveries<'d'>, 'd'>) =>
    state === 'in_flight'
      ? eb.not(laneOfDHolds(eb, 'in_flight', true))
      : eb.and([eb.not(laneOfDHolds(eb, 'in_flight', false)), eb.not(laneOfDHolds(eb, 'pending', true))]);
}

/** `lanes`: a row naming a lane (session, url); `heads`: the lane heads found so far. */
type Lanes = Database & { lanes: { session_id: string; url: string } };
type Heads = Database & { heads: WebhookDeliveriesTable };

/**
 * The id of one unsettled row of the lane after the last head's in (session, url) order: a later url of the
 * same session, else the first lane of a later session. Two seeks; a row-value comparison would let SQLite seek
 * on the session alone and read the rest of the session's rows.
 */
function rowOfNextLane(eb: ExpressionBuilder<Heads, 'heads'>) {
  const unsettled = () => eb.selectFrom('webhook_deliveries as o').select('o.id').where(isUnsettled('o.state'));
  const sameSession = unsettled()
    .whereRef('o.session_id', '=', 'heads.session_id')
    .whereRef('o.url', '>', 'heads.url')
    .orderBy('o.url')
    .limit(1);
  const laterSession = unsettled().whereRef('o.session_id', '>', 'heads.session_id').orderBy('o.session_id').orderBy('o.url').limit(1);
  return eb.fn.coalesce(sameSession, laterSession);
}

/** The id of the lane's head: its earliest row in flight if any (see `headsItsLane`), else its earliest pending row. */
function headOfLane(eb: ExpressionBuilder<Lanes, 'lanes'>) {
  const earliest = (state: 'pending' | 'in_flight') =>
    eb
      .selectFrom('webhook_deliveries as h')
      .select('h.id')
      .whereRef('h.session_id', '=', 'lanes.session_id')
      .whereRef('h.url', '=', 'lanes.url')
      .where(isUnsettled('h.state'))
      .where('h.state', '=', sql.lit(state))
      .orderBy('h.event_seq')
      .limit(1);
  return eb.fn.coalesce(earliest('in_flight'), earliest('pending'));
}

/**
 * Queues the event for each url, due now. A url that already has this event is left as it is.
 * @returns the rows queued (none for a url that already had the event).
 */
const enqueueDeliveriesQuery = preparedQuery((db: Db, p: Record<string, unknown> & { eventId: string; sessionId: string; now: number }, shape: string) => {
  const eventSeq = db.selectFrom('outbox').select('outbox.seq').where('outbox.id', '=', p.eventId);
  return db
    .insertInto('webhook_deliveries')
    .values(
      Array.from({ length: Number(shape) }, (_, i) => ({
        event_id: p.eventId,
        event_seq: eventSeq,
        session_id: p.sessionId,
        url: p[`url${i}`] as string,
        state: 'pending' as const,
        attempts: 0,
        next_attempt_at: p.now,
        created_at: p.now,
        updated_at: p.now,
      })),
    )
    .onConflict((oc) => oc.columns(['event_id', 'url']).doNothing())
    .returningAll();
});

/**
 * Queues the event for each url, due now. A url that already has this event is left as it is.
 * @returns the rows queued (none for a url that already had the event).
 */
export async function enqueueDeliveries(
  db: Db,
  input: { eventId: string; sessionId: string; urls: readonly string[] },
  now = Date.now(),
): Promise<WebhookDelivery[]> {
  if (input.urls.length === 0) return [];
  const urls = Object.fromEntries(input.urls.map((url, i) => [`url${i}`, url]));
  const { rows } = await enqueueDeliveriesQuery(db, { ...urls, eventId: input.eventId, sessionId: input.sessionId, now }, String(input.urls.length));
  return rows.map(toDelivery);
}

const laneHeadQuery = preparedQuery((db: Db, p: { sessionId: string; url: string }) =>
  db
    .selectFrom(sql<{ session_id: string; url: string }>`(select cast(${p.sessionId} as text) as session_id, cast(${p.url} as text) as url)`.as('lanes'))
    .innerJoin('webhook_deliveries as d', (join) => join.on((eb) => eb('d.id', '=', headOfLane(eb))))
    .selectAll('d'),
);

/**
 * The head of one lane (see `headOfLane`), whatever its state and due time; none when the lane has nothing unsettled.
 * Two index seeks: what a dispatcher asks when an attempt of the lane ends and more may be waiting behind it.
 */
export async function laneHead(db: Db, lane: { sessionId: string; url: string }): Promise<WebhookDelivery | undefined> {
  const row = await firstRow(laneHeadQuery(db, lane));
  return row && toDelivery(row);
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
  // Walks the lanes that have unsettled rows, one index seek each (a loose index scan: neither dialect skips
  // through an index on its own), then reads each lane's head by seek: O(lanes · log rows), whatever the backlog.
  // Every step joins by primary key, so PostgreSQL never hashes the whole table to find a few heads.
  let heads = db
    .withRecursive('heads', (qc) =>
      qc
        .selectFrom(
          qc
            .selectFrom('webhook_deliveries as o')
            .select(['o.session_id', 'o.url'])
            .where(isUnsettled('o.state'))
            .orderBy('o.session_id')
            .orderBy('o.url')
            .limit(1)
            .as('lanes'),
        )
        .innerJoin('webhook_deliveries as d', (join) => join.on((eb) => eb('d.id', '=', headOfLane(eb))))
        .selectAll('d')
        .unionAll(
          qc
            .selectFrom('heads')
            .innerJoin('webhook_deliveries as lanes', (join) => join.on((eb) => eb('lanes.id', '=', rowOfNextLane(eb))))
            .innerJoin('webhook_deliveries as d', (join) => join.on((eb) => eb('d.id', '=', headOfLane(eb))))
            .selectAll('d'),
        ),
    )
    .selectFrom('heads as d')
    .selectAll('d');
  if (query.state !== undefined) heads = heads.where('d.state', '=', query.state);
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
    .where(isUnsettled('state'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

const claimDeliveryQuery = preparedQuery(
  (db: Db, p: { id: number; nextAttemptAt: number; until: number; owner: string; now: number }, state: 'pending' | 'in_flight') =>
    db
      .updateTable('webhook_deliveries as d')
      .set({ state: 'in_flight', next_attempt_at: p.until, lease_owner: p.owner, updated_at: p.now })
      .where('d.id', '=', p.id)
      .where('d.state', '=', state)
      .where('d.next_attempt_at', '=', p.nextAttemptAt)
      .where(headsItsLane(state)),
);

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
  const claimed = claimDeliveryQuery(db, { id: head.id, nextAttemptAt: head.nextAttemptAt, until: lease.until, owner: lease.owner, now }, head.state as 'pending' | 'in_flight');
  return (await changedRows(claimed)) > 0;
}

const recordDeliveryOutcomeQuery = preparedQuery((db: Db, p: DeliveryOutcome & { id: number; now: number }) =>
  db
    .updateTable('webhook_deliveries')
    .set({
      state: p.state,
      attempts: p.attempts,
      next_attempt_at: p.nextAttemptAt,
      first_attempt_at: p.firstAttemptAt,
      last_status: p.lastStatus,
      last_error: p.lastError,
      delivered_at: p.deliveredAt,
      lease_owner: null,
      updated_at: p.now,
    })
    .where('id', '=', p.id)
    .where('state', '=', 'in_flight'),
);

/** Settles an attempt on a claimed row. @returns false when the row is no longer in flight. */
export async function recordDeliveryOutcome(db: Db, id: number, outcome: DeliveryOutcome, now = Date.now()): Promise<boolean> {
  return (await changedRows(recordDeliveryOutcomeQuery(db, { ...outcome, id, now }))) > 0;
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
    .where(isUnsettled('state'))
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
    .where(isUnsettled('state'))
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
