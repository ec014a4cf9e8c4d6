// The Chats capability: the chat list and a chat's messages from the store, and the chat changes (archive, pin,
// mute, mark read, clear, pin a message) made through WhatsApp's app state so that the phone and the other linked
// devices see them. A change is checked first (the chat must be known, of the right kind, the value in range), then
// sent to WhatsApp, then stored with its chat.update event; a refused request changes nothing.
import type { ChatLastMessage, PinDuration } from '../../engine/chats.js';
import type { MessageKey } from '../../engine/types.js';
import type { Db } from '../../store/database.js';
import {
  clearChatMessages,
  findChat,
  latestMessage,
  latestReceived,
  listChatMessages,
  listChats,
  messagesByIds,
  reactionsFor,
  patchChat,
  type ChatListQuery,
  type ChatMessagesQuery,
  type ChatPatch,
  type ChatRow,
  type LastMessageRow
} from '../../store/repos/chats.js';
import { findContact } from '../../store/repos/contacts.js';
import { findMessage, type MessageRow } from '../../store/repos/messages.js';
import { transaction } from '../../store/transaction.js';
import { GatewayError } from '../errors.js';
import { reduceContext } from '../events/event-reducer.js';
import type { SessionAccess, SessionCommand, WorkingSession } from '../sessions/session-access.js';
import { chatSummary, type ChatSummary } from './chat-summary.js';
import { emitChatChange } from './chat-events.js';

export interface ChatCommand extends SessionCommand {
  /** a normalised chat JID (…@s.whatsapp.net, …@lid or …@g.us) */
  chat: string;
}

export type ChatAction = 'pin' | 'unpin' | 'archive' | 'unarchive' | 'mute' | 'unmute' | 'clear' | 'read';

export interface ChatActionOutcome {
  sessionId: string;
  phone: string | null;
  chat: string;
  action: ChatAction;
  /** the chat after the change */
  state: ChatSummary;
  /** mute: until when (epoch ms) */
  mutedUntil?: number | null;
  /** read: the messages read receipts were sent for */
  marked?: MessageRow[];
  /** clear: how many stored messages went */
  deleted?: number;
}

export interface MessagePinOutcome {
  sessionId: string;
  phone: string | null;
  chat: string;
  messageId: string;
  pinned: boolean;
  seconds: PinDuration;
  /** the id of the pin message sent */
  pinMessageId: string;
  timestamp: number;
}

export interface ChatListItem extends ChatSummary {
  lastMessage: LastMessageRow | null;
}

export interface ChatListOutcome {
  sessionId: string;
  phone: string | null;
  total: number;
  limit: number;
  offset: number;
  chats: ChatListItem[];
}

export interface ChatMessagesOutcome {
  sessionId: string;
  phone: string | null;
  chat: ChatSummary;
  total: number;
  limit: number;
  offset: number;
  messages: MessageRow[];
  /** reactions to those messages, by message id */
  reactions: Map<string, { from: string; emoji: string; timestamp: number }[]>;
}

/** WARest's bounds for a mute (minutes) and its default. */
export const MUTE_MINUTES = { min: 1, max: 43_200, default: 60 } as const;
/** How many messages one mark-read sends receipts for at most. */
export const READ_RECEIPT_CAP = 500;

const digitsOf = (jid: string | null | undefined) => jid?.split(/[:@]/)[0] ?? null;
const USER_CHAT = /^\d{5,20}@(s\.whatsapp\.net|lid)$/;
const GROUP_CHAT = /^\d+(-\d+)?@g\.us$/;

/** A chat id the Chats API works on: a person (PN or LID) or a group; anything else is a 400. */
export function requireChatJid(chat: string): string {
  if (USER_CHAT.test(chat) || GROUP_CHAT.test(chat)) return chat;
  throw new GatewayError('INVALID_PARAMETER', `"${chat.slice(0, 80)}" is not a chat: use a phone number, a …@s.whatsapp.net or …@lid JID, or a group id …@g.us`);
}

function keyOf(row: MessageRow): MessageKey {
  const group = row.chat_jid.endsWith('@g.us');
  return { chat: row.chat_jid, id: row.id, fromMe: row.from_me === 1, participant: group && row.from_me === 0 ? row.sender_jid : null };
}

const lastOf = (row: MessageRow | undefined): ChatLastMessage | null => (row ? { key: keyOf(row), timestamp: row.timestamp } : null);

export class Chats {
  constructor(private readonly deps: { db: Db; access: SessionAccess }) {}

  async list(command: SessionCommand, query: ChatListQuery): Promise<ChatListOutcome> {
    const session = await this.deps.access.find(command);
    const own = session.meId ? [`${digitsOf(session.meId)}@s.whatsapp.net`] : [];
    const { total, rows } = await listChats(this.deps.db, session.id, { ...query, exclude: own });
    const last = await messagesByIds(this.deps.db, session.id, rows.filter((r) => r.last_message_id).map((r) => ({ chat: r.jid, id: r.last_message_id! })));
    return {
      sessionId: session.id,
      phone: digitsOf(session.meId),
      total,
      limit: query.limit,
      offset: query.offset,
      chats: rows.map((row) => ({ ...chatSummary(row), lastMessage: row.last_message_id ? (last.get(`${row.jid}/${row.last_message_id}`) ?? null) : null }))
    };
  }

  async messages(command: ChatCommand, query: ChatMessagesQuery): Promise<ChatMessagesOutcome> {
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw new GatewayError('INVALID_PARAMETER', 'startTime must not be after endTime');
    }
    const session = await this.deps.access.find(command);
    const chat = await this.storedChat(session.id, command.chat);
    const { total, rows } = await listChatMessages(this.deps.db, session.id, chat.jid, query);
    const reactions = await reactionsFor(this.deps.db, session.id, chat.jid, rows.map((r) => r.id));
    return { sessionId: session.id, phone: digitsOf(session.meId), chat: chatSummary(chat), total, limit: query.limit, offset: query.offset, messages: rows, reactions };
  }

  pin(command: ChatCommand, pinned: boolean): Promise<ChatActionOutcome> {
    return this.change(command, pinned ? 'pin' : 'unpin', async (working, chat) => {
      await working.engine.chats.pin(chat.jid, pinned);
      return { patch: { pinnedAt: pinned ? Math.floor(Date.now() / 1000) : null } };
    });
  }

  archive(command: ChatCommand, archived: boolean): Promise<ChatActionOutcome> {
    return this.change(command, archived ? 'archive' : 'unarchive', async (working, chat) => {
      await working.engine.chats.archive(chat.jid, archived, lastOf(await latestMessage(this.deps.db, working.session.id, chat.jid)));
      return { patch: { archived } };
    });
  }

  /** Mutes for `minutes` (1 to 43200), or unmutes with null. */
  async mute(command: ChatCommand, minutes: number | null): Promise<ChatActionOutcome> {
    if (minutes !== null && (!Number.isInteger(minutes) || minutes < MUTE_MINUTES.min || minutes > MUTE_MINUTES.max)) {
      throw new GatewayError('INVALID_PARAMETER', `duration must be a whole number of minutes from ${MUTE_MINUTES.min} to ${MUTE_MINUTES.max} (30 days), not ${minutes}`);
    }
    return this.change(command, minutes === null ? 'unmute' : 'mute', async (working, chat) => {
      const until = minutes === null ? null : Date.now() + minutes * 60_000;
      await working.engine.chats.mute(chat.jid, until);
      return { patch: { mutedUntil: until }, extra: { mutedUntil: until } };
    });
  }

  /** Sends read receipts for the newest `count` received messages (0: the unread ones) and marks the chat read everywhere. */
  async read(command: ChatCommand, count: number): Promise<ChatActionOutcome> {
    if (!Number.isInteger(count) || count < 0 || count > READ_RECEIPT_CAP) {
      throw new GatewayError('INVALID_PARAMETER', `messages must be a whole number from 0 (all unread) to ${READ_RECEIPT_CAP}, not ${count}`);
    }
    return this.change(command, 'read', async (working, chat) => {
      const wanted = count > 0 ? count : Math.min(chat.unread_count, READ_RECEIPT_CAP);
      const marked = wanted > 0 ? await latestReceived(this.deps.db, working.session.id, chat.jid, wanted) : [];
      if (marked.length) await working.engine.messages.read(marked.map(keyOf));
      await working.engine.chats.markRead(chat.jid, true, lastOf(await latestMessage(this.deps.db, working.session.id, chat.jid)));
      return { patch: { unreadCount: 0, markedUnread: false }, extra: { marked } };
    });
  }

  clear(command: ChatCommand): Promise<ChatActionOutcome> {
    return this.change(command, 'clear', async (working, chat) => {
      const last = await latestMessage(this.deps.db, working.session.id, chat.jid);
      await working.engine.chats.clear(chat.jid, lastOf(last));
      const upTo = Math.max(last?.timestamp ?? 0, Math.floor(Date.now() / 1000));
      return { patch: {}, after: (trx) => clearChatMessages(trx, working.session.id, chat.jid, upTo).then((deleted) => ({ deleted })) };
    });
  }

  /** Pins (for `seconds`) or unpins a stored message for everyone in its chat. */
  async pinMessage(command: ChatCommand & { messageId: string }, pin: boolean, seconds: PinDuration): Promise<MessagePinOutcome> {
    const working = await this.deps.access.working(command);
    const chat = await this.storedChat(working.session.id, command.chat);
    const message = await findMessage(this.deps.db, working.session.id, command.messageId, chat.jid);
    if (!message) throw new GatewayError('MESSAGE_NOT_FOUND', `No message ${command.messageId} is stored in chat ${chat.jid} for session "${working.session.id}"`);
    if (message.revoked_at !== null) throw new GatewayError('MESSAGE_PIN_NOT_ALLOWED', `Message ${message.id} was deleted for everyone and cannot be pinned`);
    const messages = working.engine.messages;
    const sent = await working.engine.chats.pinMessage(keyOf(message), pin, { id: messages.newMessageId(), seconds });
    return { sessionId: working.session.id, phone: working.phone, chat: chat.jid, messageId: message.id, pinned: pin, seconds, pinMessageId: sent.id, timestamp: sent.timestamp };
  }

  /** The chat as stored, found by its JID (a LID also finds the chat kept under the person's PN). */
  private async storedChat(sessionId: string, jid: string): Promise<ChatRow> {
    requireChatJid(jid);
    let chat = await findChat(this.deps.db, sessionId, jid);
    if (!chat && jid.endsWith('@lid')) {
      const contact = await findContact(this.deps.db, sessionId, jid);
      if (contact && contact.jid !== jid) chat = await findChat(this.deps.db, sessionId, contact.jid);
    }
    if (!chat) {
      throw new GatewayError('CHAT_NOT_FOUND', `Session "${sessionId}" has no chat with ${jid}: only chats it has messages or history for can be used (check the number or group id)`);
    }
    return chat;
  }

  private async change(
    command: ChatCommand,
    action: ChatAction,
    run: (working: WorkingSession, chat: ChatRow) => Promise<{ patch: ChatPatch; extra?: Partial<ChatActionOutcome>; after?: (trx: Db) => Promise<Partial<ChatActionOutcome>> }>
  ): Promise<ChatActionOutcome> {
    const working = await this.deps.access.working(command);
    const chat = await this.storedChat(working.session.id, command.chat);
    const { patch, extra, after } = await run(working, chat);
    const sessionId = working.session.id;
    const more = await transaction(this.deps.db, async (trx) => {
      const before = await findChat(trx, sessionId, chat.jid);
      await patchChat(trx, sessionId, chat.jid, patch);
      const done = after ? await after(trx) : {};
      await emitChatChange(reduceContext(sessionId, trx), chat.jid, before, 'api');
      return done;
    });
    const state = await findChat(this.deps.db, sessionId, chat.jid);
    return { sessionId, phone: working.phone, chat: chat.jid, action, state: chatSummary(state ?? chat), ...extra, ...more };
  }
}
