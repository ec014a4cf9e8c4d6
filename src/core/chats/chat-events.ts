// What the engine reports about chats and contacts, reduced into the chat and contact store: app-state changes
// from the phone or another device (archive, pin, mute, read/unread) with a `chat.update` event when the stored
// state changed, deleted chats, address-book and push names, PN↔LID pairs, and history syncs (chats, contacts
// and messages, the messages bounded by age and per chat). Live messages are counted by `noteChatMessage`, which
// the message reducer and the send queue call for each message they store.
import type { Transaction } from 'kysely';
import type { ChatState, HistorySync } from '../../engine/chats.js';
import type { EngineMessage } from '../../engine/types.js';
import type { Database, Db } from '../../store/database.js';
import { deleteChat, findChat, MEDIA_TYPES, patchChat, recordChatMessage, type ChatPatch, type ChatRow } from '../../store/repos/chats.js';
import { linkContactIdentity, upsertContacts } from '../../store/repos/contacts.js';
import { chunk, MAX_PARAMS } from '../../store/chunk.js';
import { insertMessages } from '../../store/repos/messages.js';
import type { NewMessageRow } from '../../store/tables/messages.js';
import type { EventReducer, ReduceContext } from '../events/event-reducer.js';
import { engineMessageRecord, storedMessageRow, type MessageRetention } from '../messages/message-rows.js';
import { chatSummary, isMuted } from './chat-summary.js';

export interface HistoryBounds {
  /** history messages older than this many days are not stored (0: none) */
  days: number;
  /** at most this many history messages per chat (0: none) */
  messagesPerChat: number;
}

export type ChatChangeSource = 'phone' | 'api' | 'history';

const isMedia = (type: string) => (MEDIA_TYPES as readonly string[]).includes(type);

/** Counts a message just stored for the first time into its chat, and remembers the sender's push name. */
export async function noteChatMessage(
  db: Db,
  sessionId: string,
  message: { chat: string; id: string; fromMe: boolean; timestamp: number; type: string; sender?: { jid: string; pn: string | null; lid: string | null } | null; pushName?: string | null }
): Promise<void> {
  await recordChatMessage(db, sessionId, { chat: message.chat, id: message.id, fromMe: message.fromMe, timestamp: message.timestamp, media: isMedia(message.type) });
  const sender = message.sender;
  if (!message.fromMe && sender && message.pushName && !sender.jid.endsWith('@g.us')) {
    await upsertContacts(db, sessionId, [{ jid: sender.jid, pn: sender.pn, lid: sender.lid, notify: message.pushName }]);
  }
}

/** A number the store's 64-bit columns hold, or undefined for anything else (a bad value from WhatsApp is dropped, not fatal). */
const safe = (value: number | null | undefined): number | null | undefined =>
  value === null || value === undefined ? value : Number.isSafeInteger(value) ? value : undefined;

function patchOf(given: ChatState): ChatPatch {
  const state = { ...given, pinnedAt: safe(given.pinnedAt), mutedUntil: safe(given.mutedUntil), lastMessageAt: safe(given.lastMessageAt) ?? undefined };
  if (state.unreadCount !== undefined && (!Number.isSafeInteger(state.unreadCount) || state.unreadCount > 2_000_000_000)) delete state.unreadCount;
  const patch: ChatPatch = {};
  if (state.name !== undefined) patch.name = state.name;
  if (state.archived !== undefined) patch.archived = state.archived;
  if (state.pinnedAt !== undefined) patch.pinnedAt = state.pinnedAt;
  if (state.mutedUntil !== undefined) patch.mutedUntil = state.mutedUntil;
  if (state.unreadCount !== undefined) patch.unreadCount = state.unreadCount;
  if (state.markedUnread !== undefined) patch.markedUnread = state.markedUnread;
  if (state.lastMessageAt !== undefined) patch.lastMessageAt = state.lastMessageAt;
  return patch;
}

/** What changed between two stored states of a chat, in the words of the chat.update event. */
export function chatChanges(before: ChatRow | undefined, after: ChatRow): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if ((before?.archived ?? 0) !== after.archived) changes.archived = after.archived === 1;
  if ((before?.pinned_at ?? null) !== after.pinned_at) Object.assign(changes, { pinned: after.pinned_at !== null, pinnedAt: after.pinned_at });
  const mutedBefore = before ? isMuted(before.muted_until) : false;
  const mutedAfter = isMuted(after.muted_until);
  if (mutedBefore !== mutedAfter || (mutedAfter && before?.muted_until !== after.muted_until)) Object.assign(changes, { muted: mutedAfter, mutedUntil: mutedAfter ? after.muted_until : null });
  if ((before?.marked_unread ?? 0) !== after.marked_unread) changes.markedUnread = after.marked_unread === 1;
  if ((before?.unread_count ?? 0) !== after.unread_count) changes.unreadCount = after.unread_count;
  if ((before?.cleared_at ?? null) !== after.cleared_at && after.cleared_at !== null) Object.assign(changes, { cleared: true, clearedAt: after.cleared_at });
  return changes;
}

/** The chat.update event for a change of a chat's stored state; nothing when the state did not change. */
export async function emitChatChange(
  ctx: { sessionId: string; trx: Db; emit: ReduceContext['emit'] },
  chat: string,
  before: ChatRow | undefined,
  source: ChatChangeSource
): Promise<void> {
  const after = await findChat(ctx.trx, ctx.sessionId, chat);
  if (!after) return;
  const changes = chatChanges(before, after);
  if (Object.keys(changes).length === 0) return;
  const summary = chatSummary(after);
  await ctx.emit('chat.update', {
    id: ctx.sessionId,
    chatId: chat,
    jid: chat,
    isGroup: summary.kind === 'group',
    source,
    changes,
    chat: summary,
    timestamp: Math.floor(Date.now() / 1000)
  });
}

async function storeHistoryMessages(trx: Transaction<Database>, sessionId: string, messages: EngineMessage[], bounds: HistoryBounds, retention: MessageRetention): Promise<void> {
  if (bounds.days === 0 || bounds.messagesPerChat === 0 || retention === 'none' || messages.length === 0) return;
  const cutoff = Math.floor(Date.now() / 1000) - bounds.days * 86_400;
  const byChat = new Map<string, EngineMessage[]>();
  for (const message of messages) {
    if (message.timestamp < cutoff) continue;
    const list = byChat.get(message.chat) ?? [];
    list.push(message);
    byChat.set(message.chat, list);
  }
  // Several chunks may carry one chat: the bound holds for what is stored in all. One count for all the chunk's chats.
  const stored = new Map<string, number>();
  for (const chats of chunk([...byChat.keys()], MAX_PARAMS - 1)) {
    const counts = await trx
      .selectFrom('messages')
      .select(['chat_jid', (eb) => eb.fn.countAll<number>().as('n')])
      .where('session_id', '=', sessionId)
      .where('chat_jid', 'in', chats)
      .groupBy('chat_jid')
      .execute();
    for (const { chat_jid, n } of counts) stored.set(chat_jid, Number(n));
  }
  const rows: NewMessageRow[] = [];
  const lastOf: { chat: string; last: EngineMessage; media: boolean }[] = [];
  for (const [chat, list] of byChat) {
    const room = bounds.messagesPerChat - (stored.get(chat) ?? 0);
    if (room <= 0) continue;
    const newest = list.sort((a, b) => b.timestamp - a.timestamp).slice(0, room);
    for (const message of newest) {
      const row = storedMessageRow(retention, sessionId, engineMessageRecord(message, null));
      if (row) rows.push(row);
    }
    lastOf.push({ chat, last: newest[0]!, media: newest.some((m) => isMedia(m.type)) });
  }
  // Many rows per statement: one statement per message made a 20,000-message sync take 12 s on PostgreSQL.
  await insertMessages(trx, rows);
  for (const { chat, last, media } of lastOf) {
    await patchChat(trx, sessionId, chat, { lastMessageAt: last.timestamp, lastMessageId: last.id });
    if (media) await trx.updateTable('chats').set({ has_media: 1 }).where('session_id', '=', sessionId).where('jid', '=', chat).execute();
  }
}

export function chatEventReducer({ history, retention }: { history: HistoryBounds; retention: MessageRetention }): EventReducer {
  return {
    async chat_update(update, ctx) {
      for (const state of update.chats) {
        const before = await findChat(ctx.trx, ctx.sessionId, state.chat);
        await patchChat(ctx.trx, ctx.sessionId, state.chat, patchOf(state));
        await emitChatChange(ctx, state.chat, before, update.source === 'history' ? 'history' : 'phone');
      }
    },

    async chat_delete({ chats }, ctx) {
      for (const chat of chats) {
        const before = await findChat(ctx.trx, ctx.sessionId, chat);
        if (!before) continue;
        await deleteChat(ctx.trx, ctx.sessionId, chat);
        await ctx.emit('chat.update', { id: ctx.sessionId, chatId: chat, jid: chat, isGroup: chat.endsWith('@g.us'), source: 'phone', changes: { deleted: true }, chat: null, timestamp: Math.floor(Date.now() / 1000) });
      }
    },

    // A group's new subject is its chat's name (the chat is not created for it).
    async group_update({ groupId, changes }, { sessionId, trx }) {
      if (changes.subject === undefined) return;
      await trx.updateTable('chats').set({ name: changes.subject, updated_at: Date.now() }).where('session_id', '=', sessionId).where('jid', '=', groupId).execute();
    },

    async contacts_update({ contacts }, { sessionId, trx }) {
      await upsertContacts(trx, sessionId, contacts);
    },

    async identity_mapping({ mappings }, { sessionId, trx }) {
      for (const { pn, lid } of mappings) await linkContactIdentity(trx, sessionId, pn, lid);
    },

    async history_sync(sync: HistorySync, { sessionId, trx }) {
      for (const state of sync.chats) await patchChat(trx, sessionId, state.chat, patchOf(state));
      await upsertContacts(trx, sessionId, sync.contacts);
      for (const { pn, lid } of sync.mappings) await linkContactIdentity(trx, sessionId, pn, lid);
      await storeHistoryMessages(trx, sessionId, sync.messages, history, retention);
    }
  };
}
