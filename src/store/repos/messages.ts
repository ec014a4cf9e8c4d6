// Repository for `messages` and `message_reactions`: storing what a session sent and received, moving a
// message's delivery status forward only, edits, revocation, stars and reactions, and retention.
import { chunk, MAX_PARAMS } from '../chunk.js';
import type { Db } from '../database.js';
import type { MessageRow, NewMessageRow, StoredMessageStatus } from '../tables/messages.js';

export type { MessageRow, StoredMessageStatus } from '../tables/messages.js';

/** Receipts can arrive out of order (read before delivered): a status only ever moves forward. */
const STATUS_RANK: Record<StoredMessageStatus, number> = { failed: 0, received: 0, pending: 1, sent: 2, delivered: 3, read: 4, played: 5 };

export function statusesBelow(status: StoredMessageStatus): StoredMessageStatus[] {
  return (Object.keys(STATUS_RANK) as StoredMessageStatus[]).filter((s) => s !== 'received' && STATUS_RANK[s] < STATUS_RANK[status]);
}

/** Stores a message; a redelivery of one already stored keeps the stored row (its status and edits). True when it was new. */
export async function insertMessage(db: Db, row: NewMessageRow): Promise<boolean> {
  const result = await db
    .insertInto('messages')
    .values(row)
    .onConflict((oc) => oc.columns(['session_id', 'chat_jid', 'id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Inserts many messages, as many per statement as the parameter limit allows; ones already stored are kept. */
export async function insertMessages(db: Db, rows: readonly NewMessageRow[]): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length));
  for (const batch of chunk(rows, perStatement)) {
    await db.insertInto('messages').values(batch).onConflict((oc) => oc.columns(['session_id', 'chat_jid', 'id']).doNothing()).execute();
  }
}

/** A message of a session by id, in `chat` when given (ids are unique per sender, not globally). */
export async function findMessage(db: Db, sessionId: string, id: string, chat?: string): Promise<MessageRow | undefined> {
  let query = db.selectFrom('messages').selectAll().where('session_id', '=', sessionId).where('id', '=', id);
  if (chat !== undefined) query = query.where('chat_jid', '=', chat);
  return query.orderBy('created_at', 'desc').executeTakeFirst();
}

export async function advanceMessageStatus(db: Db, key: { sessionId: string; chat: string; id: string }, status: StoredMessageStatus, at: number): Promise<void> {
  const below = status === 'failed' ? (['pending'] as StoredMessageStatus[]) : statusesBelow(status);
  if (below.length === 0) return;
  await db
    .updateTable('messages')
    .set({ status, status_at: at })
    .where('session_id', '=', key.sessionId)
    .where('chat_jid', '=', key.chat)
    .where('id', '=', key.id)
    .where('status', 'in', below)
    .execute();
}

/**
 * One of our sends acknowledged by WhatsApp: its timestamp and the message as sent, and `sent` unless a receipt
 * already moved it further. False when the store has no row for it (it was not stored when accepted).
 */
export async function markMessageSent(db: Db, key: { sessionId: string; chat: string; id: string }, sent: { timestamp: number; raw?: string | null }, at: number): Promise<boolean> {
  const below = statusesBelow('sent');
  const result = await db
    .updateTable('messages')
    .set((eb) => ({
      timestamp: sent.timestamp,
      raw: sent.raw ?? null,
      status: eb.case().when('status', 'in', below).then('sent' as StoredMessageStatus).else(eb.ref('status')).end(),
      // eb.val: Kysely inlines a bare number in then(), which made every send a new statement to compile
      status_at: eb.case().when('status', 'in', below).then(eb.val(at)).else(eb.ref('status_at')).end()
    }))
    .where('session_id', '=', key.sessionId)
    .where('chat_jid', '=', key.chat)
    .where('id', '=', key.id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function updateMessage(
  db: Db,
  key: { sessionId: string; chat: string; id: string },
  patch: Partial<Pick<MessageRow, 'text' | 'edited_at' | 'revoked_at' | 'starred' | 'raw'>>
): Promise<void> {
  await db.updateTable('messages').set(patch).where('session_id', '=', key.sessionId).where('chat_jid', '=', key.chat).where('id', '=', key.id).execute();
}

export interface ReactionRow {
  chat: string;
  messageId: string;
  reactor: string;
  emoji: string;
  timestamp: number;
}

/** Sets (or, with an empty emoji, removes) one person's reaction to a message. */
export async function saveReaction(db: Db, sessionId: string, reaction: ReactionRow): Promise<void> {
  const key = { session_id: sessionId, chat_jid: reaction.chat, message_id: reaction.messageId, reactor_jid: reaction.reactor };
  if (!reaction.emoji) {
    await db
      .deleteFrom('message_reactions')
      .where('session_id', '=', key.session_id)
      .where('chat_jid', '=', key.chat_jid)
      .where('message_id', '=', key.message_id)
      .where('reactor_jid', '=', key.reactor_jid)
      .execute();
    return;
  }
  await db
    .insertInto('message_reactions')
    .values({ ...key, emoji: reaction.emoji, timestamp: reaction.timestamp })
    .onConflict((oc) => oc.columns(['session_id', 'chat_jid', 'message_id', 'reactor_jid']).doUpdateSet({ emoji: reaction.emoji, timestamp: reaction.timestamp }))
    .execute();
}

export async function listReactions(db: Db, sessionId: string, chat: string, messageId: string): Promise<ReactionRow[]> {
  const rows = await db
    .selectFrom('message_reactions')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('chat_jid', '=', chat)
    .where('message_id', '=', messageId)
    .orderBy('timestamp')
    .execute();
  return rows.map((r) => ({ chat: r.chat_jid, messageId: r.message_id, reactor: r.reactor_jid, emoji: r.emoji, timestamp: r.timestamp }));
}

/** Deletes the messages stored before `before` (epoch ms), with their reactions' messages gone too; returns how many. */
export async function pruneMessages(db: Db, before: number): Promise<number> {
  const result = await db.deleteFrom('messages').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
