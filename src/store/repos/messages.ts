// Repository for `messages` and `message_reactions`: storing what a session sent and received, moving a
// message's delivery status forward only, edits, revocation, stars and reactions, and retention.
import { chunk, MAX_PARAMS } from '../chunk.js';
import type { Db } from '../database.js';
import { changedRows, preparedQuery, rowParams, rowsOf, type RowValues } from '../prepared-query.js';
import type { MessageRow, MessagesTable, NewMessageRow, StoredMessageStatus } from '../tables/messages.js';

export type { MessageRow, StoredMessageStatus } from '../tables/messages.js';

/** Receipts can arrive out of order (read before delivered): a status only ever moves forward. */
const STATUS_RANK: Record<StoredMessageStatus, number> = { failed: 0, received: 0, pending: 1, sent: 2, delivered: 3, read: 4, played: 5 };

export function statusesBelow(status: StoredMessageStatus): StoredMessageStatus[] {
  return (Object.keys(STATUS_RANK) as StoredMessageStatus[]).filter((s) => s !== 'received' && STATUS_RANK[s] < STATUS_RANK[status]);
}

const MESSAGE_COLUMNS = [
  'session_id', 'chat_jid', 'id', 'from_me', 'sender_jid', 'sender_pn', 'sender_lid', 'push_name', 'type', 'text', 'quoted_id',
  'mentions', 'media_id', 'timestamp', 'status', 'status_at', 'edited_at', 'revoked_at', 'starred', 'raw', 'created_at'
] as const satisfies readonly (keyof MessagesTable)[];

/** Inserts `shape` rows; ones already stored are kept (their status and edits). */
const insertMessagesQuery = preparedQuery((db: Db, p: RowValues, shape: string) =>
  db
    .insertInto('messages')
    .values(rowsOf(p, MESSAGE_COLUMNS, Number(shape)) as NewMessageRow[])
    .onConflict((oc) => oc.columns(['session_id', 'chat_jid', 'id']).doNothing())
);

/** Stores a message; a redelivery of one already stored keeps the stored row (its status and edits). True when it was new. */
export async function insertMessage(db: Db, row: NewMessageRow): Promise<boolean> {
  return (await changedRows(insertMessagesQuery(db, rowParams([row]), '1'))) > 0;
}

/** Inserts many messages, as many per statement as the parameter limit allows; ones already stored are kept. */
export async function insertMessages(db: Db, rows: readonly NewMessageRow[]): Promise<void> {
  for (const batch of chunk(rows, Math.floor(MAX_PARAMS / MESSAGE_COLUMNS.length))) {
    await insertMessagesQuery(db, rowParams(batch), String(batch.length));
  }
}

/** A message of a session by id, in `chat` when given (ids are unique per sender, not globally). */
export async function findMessage(db: Db, sessionId: string, id: string, chat?: string): Promise<MessageRow | undefined> {
  let query = db.selectFrom('messages').selectAll().where('session_id', '=', sessionId).where('id', '=', id);
  if (chat !== undefined) query = query.where('chat_jid', '=', chat);
  return query.orderBy('created_at', 'desc').executeTakeFirst();
}

const advanceMessageStatusQuery = preparedQuery((db: Db, p: { sessionId: string; chat: string; id: string; status: StoredMessageStatus; at: number }, from: StoredMessageStatus) =>
  db
    .updateTable('messages')
    .set({ status: p.status, status_at: p.at })
    .where('session_id', '=', p.sessionId)
    .where('chat_jid', '=', p.chat)
    .where('id', '=', p.id)
    .where('status', 'in', from === 'failed' ? ['pending'] : statusesBelow(from))
);

export async function advanceMessageStatus(db: Db, key: { sessionId: string; chat: string; id: string }, status: StoredMessageStatus, at: number): Promise<void> {
  if (status !== 'failed' && statusesBelow(status).length === 0) return;
  await advanceMessageStatusQuery(db, { ...key, status, at }, status);
}

const markMessageSentQuery = preparedQuery((db: Db, p: { sessionId: string; chat: string; id: string; timestamp: number; raw: string | null; at: number }) => {
  const below = statusesBelow('sent');
  return db
    .updateTable('messages')
    .set((eb) => ({
      timestamp: p.timestamp,
      raw: p.raw,
      status: eb.case().when('status', 'in', below).then('sent' as StoredMessageStatus).else(eb.ref('status')).end(),
      // eb.val: Kysely writes a bare number given to then() into the SQL text, not as a parameter
      status_at: eb.case().when('status', 'in', below).then(eb.val(p.at)).else(eb.ref('status_at')).end()
    }))
    .where('session_id', '=', p.sessionId)
    .where('chat_jid', '=', p.chat)
    .where('id', '=', p.id);
});

/**
 * One of our sends acknowledged by WhatsApp: its timestamp and the message as sent, and `sent` unless a receipt
 * already moved it further. False when the store has no row for it (it was not stored when accepted).
 */
export async function markMessageSent(db: Db, key: { sessionId: string; chat: string; id: string }, sent: { timestamp: number; raw?: string | null }, at: number): Promise<boolean> {
  return (await changedRows(markMessageSentQuery(db, { ...key, timestamp: sent.timestamp, raw: sent.raw ?? null, at }))) > 0;
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
