// Repository for the durable send queue: accepted requests (with their idempotency key and first answer) and
// the messages they queued, read by a session's worker in acceptance order.
import type { Db } from '../database.js';
import { isUniqueViolation } from '../errors.js';
import type { OutboundMessageRow, OutboundState, SendRequestRow } from '../tables/outbound.js';

export type { OutboundMessageRow, OutboundState, SendRequestRow } from '../tables/outbound.js';

export interface NewSendRequest {
  id: string;
  sessionId: string;
  principal: string;
  idempotencyKey: string | null;
  requestHash: string;
  createdAt: number;
}

export interface NewOutboundMessage {
  id: string;
  chat: string;
  kind: string;
  content: string;
}

/** @returns false when the principal already used this idempotency key (nothing is written). */
export async function insertSendRequest(db: Db, request: NewSendRequest): Promise<boolean> {
  try {
    await db
      .insertInto('send_requests')
      .values({
        id: request.id,
        session_id: request.sessionId,
        principal: request.principal,
        idempotency_key: request.idempotencyKey,
        request_hash: request.requestHash,
        response: null,
        created_at: request.createdAt
      })
      .execute();
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

export async function findSendRequest(db: Db, principal: string, idempotencyKey: string): Promise<SendRequestRow | undefined> {
  return db.selectFrom('send_requests').selectAll().where('principal', '=', principal).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
}

export async function saveSendResponse(db: Db, requestId: string, response: string): Promise<void> {
  await db.updateTable('send_requests').set({ response }).where('id', '=', requestId).where('response', 'is', null).execute();
}

export async function enqueueMessages(db: Db, sessionId: string, requestId: string, messages: NewOutboundMessage[], now: number, expiresAt: number): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('outbound_messages')
    .values(
      messages.map((m) => ({
        session_id: sessionId,
        id: m.id,
        request_id: requestId,
        chat_jid: m.chat,
        kind: m.kind,
        content: m.content,
        state: 'queued' as const,
        attempts: 0,
        expires_at: expiresAt,
        error: null,
        created_at: now,
        sent_at: null
      }))
    )
    .execute();
}

/**
 * Takes the session's oldest unsettled message for an attempt: marks it `sending` and counts the attempt, in one
 * statement. A message is unsettled while `queued`, or `sending` when a crash left it so (it goes again with its id).
 * @returns the message as marked, or undefined when the queue is empty.
 */
export async function takeNextOutbound(db: Db, sessionId: string): Promise<OutboundMessageRow | undefined> {
  return db
    .updateTable('outbound_messages')
    .set((eb) => ({ state: 'sending' as const, attempts: eb('attempts', '+', 1) }))
    .where('seq', '=', (eb) =>
      eb
        .selectFrom('outbound_messages')
        .select('seq')
        .where('session_id', '=', sessionId)
        .where('state', 'in', ['queued', 'sending'])
        .orderBy('seq')
        .limit(1)
    )
    .returningAll()
    .executeTakeFirst();
}

export async function listRequestMessages(db: Db, requestId: string): Promise<OutboundMessageRow[]> {
  return db.selectFrom('outbound_messages').selectAll().where('request_id', '=', requestId).orderBy('seq').execute();
}

export async function setOutboundState(
  db: Db,
  sessionId: string,
  id: string,
  patch: { state: OutboundState; attempts?: number; error?: string | null; sentAt?: number }
): Promise<void> {
  await db
    .updateTable('outbound_messages')
    .set({
      state: patch.state,
      ...(patch.attempts !== undefined ? { attempts: patch.attempts } : {}),
      ...(patch.error !== undefined ? { error: patch.error } : {}),
      ...(patch.sentAt !== undefined ? { sent_at: patch.sentAt } : {})
    })
    .where('session_id', '=', sessionId)
    .where('id', '=', id)
    .execute();
}

/** Sessions with unsettled sends: the worker starts on these when they connect. */
export async function sessionsWithQueuedSends(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('outbound_messages').select('session_id').distinct().where('state', 'in', ['queued', 'sending']).execute();
  return rows.map((r) => r.session_id);
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
