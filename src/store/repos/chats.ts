// Repository for `chats`: the per-session chat list kept incrementally (a message moves the chat's last-message
// time forward and counts unread ones; one of ours resets the count, as WhatsApp does), the state WhatsApp's app
// state carries (archive, pin, mute, read/unread, clear), and the list and message queries the Chats API serves.
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../database.js';
import { preparedQuery } from '../prepared-query.js';
import type { ChatKind, ChatRow } from '../tables/chats.js';
import type { MessageRow } from '../tables/messages.js';

export type { ChatRow } from '../tables/chats.js';

export const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;

export const chatKindOf = (jid: string): ChatKind => (jid.endsWith('@g.us') ? 'group' : 'user');

/** A message stored for the chat (live, either direction): what the chat list needs to know of it. */
export interface ChatMessage {
  chat: string;
  id: string;
  fromMe: boolean;
  /** unix seconds */
  timestamp: number;
  media: boolean;
}

/** The shape of a chat's upsert for a message: whether it is ours (no unread count) and whether it has media. */
type ChatMessageShape = `${'ours' | 'theirs'},${'media' | 'text'}`;

const recordChatMessageQuery = preparedQuery(
  (db: Db, p: { sessionId: string; chat: string; kind: ChatKind; id: string; timestamp: number; now: number }, shape: ChatMessageShape) => {
    const fromMe = shape.startsWith('ours');
    const media = shape.endsWith('media');
    return db
      .insertInto('chats')
      .values({
        session_id: p.sessionId,
        jid: p.chat,
        kind: p.kind,
        name: null,
        last_message_id: p.id,
        last_message_at: p.timestamp,
        unread_count: fromMe ? 0 : 1,
        archived: 0,
        marked_unread: 0,
        has_media: media ? 1 : 0,
        created_at: p.now,
        updated_at: p.now
      })
      .onConflict((oc) =>
        oc.columns(['session_id', 'jid']).doUpdateSet({
          last_message_id: sql`case when excluded.last_message_at >= chats.last_message_at then excluded.last_message_id else chats.last_message_id end`,
          last_message_at: sql`case when excluded.last_message_at >= chats.last_message_at then excluded.last_message_at else chats.last_message_at end`,
          unread_count: fromMe ? 0 : sql`chats.unread_count + 1`,
          marked_unread: fromMe ? 0 : sql`chats.marked_unread`,
          has_media: media ? 1 : sql`chats.has_media`,
          updated_at: p.now
        })
      );
  }
);

/**
 * Counts a new message into its chat in one statement: the newest message is the chat's last one; one received
 * adds to the unread count, one of ours resets it (and a manual "unread" mark) as WhatsApp does. Call it only for
 * a message stored for the first time (a redelivery must not count twice).
 */
export async function recordChatMessage(db: Db, sessionId: string, message: ChatMessage, now = Date.now()): Promise<void> {
  const shape: ChatMessageShape = `${message.fromMe ? 'ours' : 'theirs'},${message.media ? 'media' : 'text'}`;
  await recordChatMessageQuery(db, { sessionId, chat: message.chat, kind: chatKindOf(message.chat), id: message.id, timestamp: message.timestamp, now }, shape);
}

/** Fields of a chat to set; absent ones are kept (a new chat gets the defaults). */
export interface ChatPatch {
  name?: string | null;
  archived?: boolean;
  pinnedAt?: number | null;
  mutedUntil?: number | null;
  unreadCount?: number;
  markedUnread?: boolean;
  clearedAt?: number | null;
  /** moves the last-message time forward only */
  lastMessageAt?: number;
  lastMessageId?: string | null;
}

function patchColumns(patch: ChatPatch) {
  return {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.archived !== undefined ? { archived: patch.archived ? (1 as const) : (0 as const) } : {}),
    ...(patch.pinnedAt !== undefined ? { pinned_at: patch.pinnedAt } : {}),
    ...(patch.mutedUntil !== undefined ? { muted_until: patch.mutedUntil } : {}),
    ...(patch.unreadCount !== undefined ? { unread_count: Math.max(0, patch.unreadCount) } : {}),
    ...(patch.markedUnread !== undefined ? { marked_unread: patch.markedUnread ? (1 as const) : (0 as const) } : {}),
    ...(patch.clearedAt !== undefined ? { cleared_at: patch.clearedAt } : {})
  };
}

/** Sets what `patch` names on the chat, creating it when new. */
export async function patchChat(db: Db, sessionId: string, jid: string, patch: ChatPatch, now = Date.now()): Promise<void> {
  const columns = patchColumns(patch);
  const last = patch.lastMessageAt !== undefined && patch.lastMessageAt > 0;
  await db
    .insertInto('chats')
    .values({
      session_id: sessionId,
      jid,
      kind: chatKindOf(jid),
      name: null,
      last_message_id: last ? (patch.lastMessageId ?? null) : null,
      last_message_at: last ? patch.lastMessageAt! : 0,
      unread_count: 0,
      archived: 0,
      marked_unread: 0,
      has_media: 0,
      created_at: now,
      updated_at: now,
      ...columns
    })
    .onConflict((oc) =>
      oc.columns(['session_id', 'jid']).doUpdateSet({
        ...columns,
        ...(last
          ? {
              last_message_id: sql`case when excluded.last_message_at > chats.last_message_at or (chats.last_message_id is null and excluded.last_message_at >= chats.last_message_at) then excluded.last_message_id else chats.last_message_id end`,
              last_message_at: sql`case when excluded.last_message_at > chats.last_message_at then excluded.last_message_at else chats.last_message_at end`
            }
          : {}),
        updated_at: now
      })
    )
    .execute();
}

export async function findChat(db: Db, sessionId: string, jid: string): Promise<ChatRow | undefined> {
  return db.selectFrom('chats').selectAll().where('session_id', '=', sessionId).where('jid', '=', jid).executeTakeFirst();
}

export async function deleteChat(db: Db, sessionId: string, jid: string): Promise<void> {
  await db.deleteFrom('chats').where('session_id', '=', sessionId).where('jid', '=', jid).execute();
}

/**
 * Clears a chat as WhatsApp does on every device: its messages up to `upTo` (unix seconds) and their reactions
 * are deleted from the store, and the chat stays in the list, read and without media. Returns how many went.
 */
export async function clearChatMessages(db: Db, sessionId: string, jid: string, upTo: number, now = Date.now()): Promise<number> {
  await db
    .deleteFrom('message_reactions')
    .where('session_id', '=', sessionId)
    .where('chat_jid', '=', jid)
    .where('message_id', 'in', (eb) => eb.selectFrom('messages').select('id').where('session_id', '=', sessionId).where('chat_jid', '=', jid).where('timestamp', '<=', upTo))
    .execute();
  const result = await db.deleteFrom('messages').where('session_id', '=', sessionId).where('chat_jid', '=', jid).where('timestamp', '<=', upTo).executeTakeFirst();
  await patchChat(db, sessionId, jid, { clearedAt: now, unreadCount: 0, markedUnread: false }, now);
  await db.updateTable('chats').set({ has_media: 0 }).where('session_id', '=', sessionId).where('jid', '=', jid).execute();
  return Number(result.numDeletedRows);
}

export type ChatSort = 'lastMessage' | 'unreadCount' | 'name';

export interface ChatListQuery {
  limit: number;
  offset: number;
  sortBy: ChatSort;
  sortOrder: 'asc' | 'desc';
  search?: string;
  hasMedia?: boolean;
  /** left out of the list (the account's own chat with itself) */
  exclude?: string[];
}

export interface ChatListRow extends ChatRow {
  /** the chat's name, else the contact's verified, address-book or push name */
  display_name: string | null;
}

/** `%text%` for LIKE, with the wildcards in `text` taken literally (escape character `\`). */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A page of a session's chats with the total matching; sorted, then by jid for stable paging. Without a search or
 * a name sort the page is found on `chats` alone (an index range; the lastMessage order walks
 * chats_last_message_idx, its ties by jid in the same direction) and only its rows are joined with their
 * contacts: joining and sorting every chat first made a page at 10,000 chats ten times slower.
 */
export async function listChats(db: Db, sessionId: string, query: ChatListQuery): Promise<{ total: number; rows: ChatListRow[] }> {
  const displayName = sql<string | null>`coalesce(chats.name, contacts.verified_name, contacts.name, contacts.notify)`;
  const direction = query.sortOrder === 'asc' ? sql`asc` : sql`desc`;
  const filtered = <Q extends { where: (...args: any[]) => any }>(q: Q): Q => {
    let out = q.where('chats.session_id', '=', sessionId) as Q;
    if (query.exclude?.length) out = out.where('chats.jid', 'not in', query.exclude) as Q;
    if (query.hasMedia) out = out.where('chats.has_media', '=', 1) as Q;
    return out;
  };
  if (!query.search && query.sortBy !== 'name') {
    const order = (table: string) =>
      query.sortBy === 'unreadCount'
        ? sql`${sql.ref(`${table}.unread_count`)} ${direction}, ${sql.ref(`${table}.last_message_at`)} desc, ${sql.ref(`${table}.jid`)} asc`
        : sql`${sql.ref(`${table}.last_message_at`)} ${direction}, ${sql.ref(`${table}.jid`)} ${direction}`;
    const countRow = await filtered(db.selectFrom('chats')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const page = filtered(db.selectFrom('chats'))
      .select(['chats.jid', 'chats.last_message_at', 'chats.unread_count'])
      .orderBy(order('chats'))
      .limit(query.limit)
      .offset(query.offset)
      .as('page');
    const rows = await db
      .selectFrom(page)
      .innerJoin('chats', (join) => join.onRef('chats.jid', '=', 'page.jid').on('chats.session_id', '=', sessionId))
      .leftJoin('contacts', (join) => join.onRef('contacts.session_id', '=', 'chats.session_id').onRef('contacts.jid', '=', 'chats.jid'))
      .selectAll('chats')
      .select(displayName.as('display_name'))
      .orderBy(order('page'))
      .execute();
    return { total: Number(countRow?.n ?? 0), rows: rows as ChatListRow[] };
  }
  let base = filtered(
    db.selectFrom('chats').leftJoin('contacts', (join) => join.onRef('contacts.session_id', '=', 'chats.session_id').onRef('contacts.jid', '=', 'chats.jid'))
  );
  if (query.search) {
    const pattern = containsPattern(query.search);
    base = base.where(sql<SqlBool>`(lower(chats.jid) like ${pattern} escape '\\' or lower(coalesce(${displayName}, '')) like ${pattern} escape '\\')`);
  }
  const countRow = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const order =
    query.sortBy === 'unreadCount'
      ? sql`chats.unread_count ${direction}, chats.last_message_at desc, chats.jid asc`
      : query.sortBy === 'name'
        ? sql`lower(coalesce(${displayName}, chats.jid)) ${direction}, chats.jid asc`
        : sql`chats.last_message_at ${direction}, chats.jid ${direction}`;
  const rows = await base
    .selectAll('chats')
    .select(displayName.as('display_name'))
    .orderBy(order)
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return { total: Number(countRow?.n ?? 0), rows: rows as ChatListRow[] };
}

export interface ChatMessagesQuery {
  limit: number;
  offset: number;
  search?: string;
  /** unix seconds, inclusive */
  from?: number;
  to?: number;
  mediaOnly?: boolean;
  fromMe?: boolean;
}

/** A page of a chat's stored messages, newest first, with the total matching. */
export async function listChatMessages(db: Db, sessionId: string, chat: string, query: ChatMessagesQuery): Promise<{ total: number; rows: MessageRow[] }> {
  let base = db.selectFrom('messages').where('session_id', '=', sessionId).where('chat_jid', '=', chat);
  if (query.from !== undefined) base = base.where('timestamp', '>=', query.from);
  if (query.to !== undefined) base = base.where('timestamp', '<=', query.to);
  if (query.mediaOnly) base = base.where('type', 'in', [...MEDIA_TYPES]);
  if (query.fromMe !== undefined) base = base.where('from_me', '=', query.fromMe ? 1 : 0);
  if (query.search) base = base.where(sql<SqlBool>`lower(coalesce(text, '')) like ${containsPattern(query.search)} escape '\\'`);
  const countRow = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await base.selectAll().orderBy('timestamp', 'desc').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute();
  return { total: Number(countRow?.n ?? 0), rows };
}

/** The newest received messages of a chat (for read receipts), at most `limit`, oldest first. */
export async function latestReceived(db: Db, sessionId: string, chat: string, limit: number): Promise<MessageRow[]> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('chat_jid', '=', chat)
    .where('from_me', '=', 0)
    .orderBy('timestamp', 'desc')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** The newest stored message of a chat (WhatsApp's app-state changes name it as the chat's message range). */
export async function latestMessage(db: Db, sessionId: string, chat: string): Promise<MessageRow | undefined> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('chat_jid', '=', chat)
    .orderBy('timestamp', 'desc')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** What the chat list shows of a chat's last message. */
export type LastMessageRow = Pick<MessageRow, 'chat_jid' | 'id' | 'from_me' | 'type' | 'text' | 'timestamp' | 'status'>;

/**
 * Stored messages by id (the chat list's last messages), by `chat/id`: only the columns the list shows (all of
 * them, `raw` included, made this the slowest part of a page).
 */
export async function messagesByIds(db: Db, sessionId: string, keys: { chat: string; id: string }[]): Promise<Map<string, LastMessageRow>> {
  const found = new Map<string, LastMessageRow>();
  const ids = [...new Set(keys.map((k) => k.id))];
  if (!ids.length) return found;
  const rows = await db
    .selectFrom('messages')
    .select(['chat_jid', 'id', 'from_me', 'type', 'text', 'timestamp', 'status'])
    .where('session_id', '=', sessionId)
    .where('id', 'in', ids)
    .execute();
  for (const row of rows) found.set(`${row.chat_jid}/${row.id}`, row);
  return found;
}

/** The reactions to a page of a chat's messages, by message id, oldest first. */
export async function reactionsFor(db: Db, sessionId: string, chat: string, messageIds: string[]): Promise<Map<string, { from: string; emoji: string; timestamp: number }[]>> {
  const found = new Map<string, { from: string; emoji: string; timestamp: number }[]>();
  if (!messageIds.length) return found;
  const rows = await db
    .selectFrom('message_reactions')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('chat_jid', '=', chat)
    .where('message_id', 'in', messageIds)
    .orderBy('timestamp')
    .execute();
  for (const row of rows) {
    const list = found.get(row.message_id) ?? [];
    list.push({ from: row.reactor_jid, emoji: row.emoji, timestamp: row.timestamp });
    found.set(row.message_id, list);
  }
  return found;
}
