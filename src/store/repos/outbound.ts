// Repository for the durable send queue: accepted requests (with their idempotency key and first answer) and
// the messages they queued, read by a session's worker in acceptance order.
import type { Db } from '../database.js';
import { isUniqueViolation } from '../errors.js';
import { chunk, MAX_PARAMS } from '../chunk.js';
import { firstRow, preparedQuery, rowParams, rowsOf, type RowValues } from '../prepared-query.js';
import type { NewOutboundMessageRow, OutboundMessageRow, OutboundState, SendRequestRow } from '../tables/outbound.js';

export type { OutboundMessageRow, OutboundState, SendRequestRow } from '../tables/outbound.js';

export interface NewSendRequest {
  id: string;
  sessionId: string;
  principal: string;
  idempotencyKey: string;
  requestHash: string;
  createdAt: number;
}

export interface NewOutboundMessage {
  id: string;
  chat: string;
  kind: string;
  content: string;
}

const insertSendRequestQuery = preparedQuery((db: Db, r: NewSendRequest) =>
  db.insertInto('send_requests').values({
    id: r.id,
    session_id: r.sessionId,
    principal: r.principal,
    idempotency_key: r.idempotencyKey,
    request_hash: r.requestHash,
    response: null,
    created_at: r.createdAt
  })
);

/** @returns false when the principal already used this idempotency key (nothing is written). */
export async function insertSendRequest(db: Db, request: NewSendRequest): Promise<boolean> {
  try {
    await insertSendRequestQuery(db, request);
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

const findSendRequestQuery = preparedQuery((db: Db, p: { principal: string; idempotencyKey: string }) =>
  db.selectFrom('send_requests').selectAll().where('principal', '=', p.principal).where('idempotency_key', '=', p.idempotencyKey)
);

export async function findSendRequest(db: Db, principal: string, idempotencyKey: string): Promise<SendRequestRow | undefined> {
  return firstRow(findSendRequestQuery(db, { principal, idempotencyKey }));
}

const saveSendResponseQuery = preparedQuery((db: Db, p: { requestId: string; response: string }) =>
  db.updateTable('send_requests').set({ response: p.response }).where('id', '=', p.requestId).where('response', 'is', null)
);

export async function saveSendResponse(db: Db, requestId: string, response: string): Promise<void> {
  await saveSendResponseQuery(db, { requestId, response });
}

const OUTBOUND_COLUMNS = [
  'session_id', 'id', 'request_id', 'chat_jid', 'kind', 'content', 'state', 'attempts', 'expires_at', 'error', 'created_at', 'sent_at'
] as const satisfies readonly (keyof NewOutboundMessageRow)[];

const enqueueMessagesQuery = preparedQuery((db: Db, p: RowValues, shape: string) =>
  db.insertInto('outbound_messages').values(rowsOf(p, OUTBOUND_COLUMNS, Number(shape)) as NewOutboundMessageRow[])
);

export async function enqueueMessages(db: Db, sessionId: string, requestId: string, messages: NewOutboundMessage[], now: number, expiresAt: number): Promise<void> {
  const rows = messages.map((m): NewOutboundMessageRow => ({
    session_id: sessionId,
    id: m.id,
    request_id: requestId,
    chat_jid: m.chat,
    kind: m.kind,
    content: m.content,
    state: 'queued',
    attempts: 0,
    expires_at: expiresAt,
    error: null,
    created_at: now,
    sent_at: null
  }));
  for (const batch of chunk(rows, Math.floor(MAX_PARAMS / OUTBOUND_COLUMNS.length))) {
    await enqueueMessagesQuery(db, rowParams(batch), String(batch.length));
  }
}

const takeNextOutboundQuery = preparedQuery((db: Db, p: { sessionId: string }) =>
  db
    .updateTable('outbound_messages')
    .set((eb) => ({ state: 'sending' as const, attempts: eb('attempts', '+', 1) }))
    .where('seq', '=', (eb) =>
      eb
        .selectFrom('outbound_messages')
        .select('seq')
        .where('session_id', '=', p.sessionId)
        .where('state', 'in', ['queued', 'sending'])
        .orderBy('seq')
        .limit(1)
    )
    .returningAll()
);

/**
 * Takes the session's oldest unsettled message for an attempt: marks it `sending` and counts the attempt, in one
 * statement. A message is unsettled while `queued`, or `sending` when a crash left it so (it goes again with its id).
 * @returns the message as marked, or undefined when the queue is empty.
 */
export async function takeNextOutbound(db: Db, sessionId: string): Promise<OutboundMessageRow | undefined> {
  return firstRow(takeNextOutboundQuery(db, { sessionId }));
}

export async function listRequestMessages(db: Db, requestId: string): Promise<OutboundMessageRow[]> {
  return db.selectFrom('outbound_messages').selectAll().where('request_id', '=', requestId).orderBy('seq').execute();
}

export interface OutboundStatePatch {
  state: OutboundState;
  error?: string | null;
  sentAt?: number;
}

/** Which fields a patch sets, in a fixed order: the shape of its statement. */
const patchShape = (patch: OutboundStatePatch) => (['error', 'sentAt'] as const).filter((field) => patch[field] !== undefined).join(',');

const setOutboundStateQuery = preparedQuery((db: Db, p: OutboundStatePatch & { sessionId: string; id: string }, shape: string) => {
  const fields = new Set(shape.split(','));
  return db
    .updateTable('outbound_messages')
    .set({
      state: p.state,
      ...(fields.has('error') ? { error: p.error } : {}),
      ...(fields.has('sentAt') ? { sent_at: p.sentAt } : {})
    })
    .where('session_id', '=', p.sessionId)
    .where('id', '=', p.id);
});

export async function setOutboundState(db: Db, sessionId: string, id: string, patch: OutboundStatePatch): Promise<void> {
  await setOutboundStateQuery(db, { ...patch, sessionId, id }, patchShape(patch));
}

/** A session's unsettled sends whose time to wait ran out before `now` (epoch ms), oldest first, at most `limit`. */
export async function expiredUnsettledSends(db: Db, sessionId: string, now: number, limit: number): Promise<OutboundMessageRow[]> {
  return db
    .selectFrom('outbound_messages')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('state', 'in', ['queued', 'sending'])
    .where('expires_at', '<', now)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function countQueued(db: Db, sessionId: string): Promise<number> {
  const row = await db
    .selectFrom('outbound_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .where('state', 'in', ['queued', 'sending'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Deletes settled sends and answered requests older than `before` (epoch ms). */
export async function pruneSettledSends(db: Db, before: number): Promise<void> {
  await db.deleteFrom('outbound_messages').where('state', 'in', ['sent', 'failed']).where('created_at', '<', before).execute();
  await db
    .deleteFrom('send_requests')
    .where('created_at', '<', before)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('outbound_messages').select('id').whereRef('outbound_messages.request_id', '=', 'send_requests.id'))))
    .execute();
}

/** A session's sends by state (those not yet pruned). */
export async function countSendsByState(db: Db, sessionId: string): Promise<Record<OutboundState, number>> {
  const rows = await db
    .selectFrom('outbound_messages')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('session_id', '=', sessionId)
    .groupBy('state')
    .execute();
  const counts: Record<OutboundState, number> = { queued: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.state] = Number(row.n);
  return counts;
}
