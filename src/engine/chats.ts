// The engine port's chat sub-port and chat events: WhatsApp's per-chat state that lives in its app state
// (archive, pin, mute, read/unread, clear) and is shared by the phone and every linked device; pinning a message
// for everyone in a chat; and what the session learns about chats and contacts from history syncs, the app state
// and the address book. JIDs are normalised like everywhere on the port (chats by PN JID when known).
import type { EngineMessage, MessageKey, SentMessage } from './types.js';

/** The newest message of a chat: WhatsApp's archive, read and clear changes name the range they cover by it. */
export interface ChatLastMessage {
  key: MessageKey;
  /** unix seconds */
  timestamp: number;
}

/** WhatsApp's durations for a pinned message. */
export const PIN_DURATIONS_SECONDS = [86_400, 604_800, 2_592_000] as const;
export type PinDuration = (typeof PIN_DURATIONS_SECONDS)[number];

/**
 * Chat changes go through WhatsApp's app state, so the phone and the other linked devices see them; each resolves
 * once WhatsApp's server has taken the change. `last` is the chat's newest message when known.
 */
export interface ChatCommands {
  archive(chat: string, archived: boolean, last: ChatLastMessage | null): Promise<void>;
  pin(chat: string, pinned: boolean): Promise<void>;
  /** mutes until `until` (epoch ms; -1 = for ever); null unmutes */
  mute(chat: string, until: number | null): Promise<void>;
  /** marks the chat read (true) or unread (false) on every device */
  markRead(chat: string, read: boolean, last: ChatLastMessage | null): Promise<void>;
  /** deletes the chat's messages on every device, the chat stays */
  clear(chat: string, last: ChatLastMessage | null): Promise<void>;
  /** pins (for `seconds`) or unpins a message for everyone in its chat; sends a pin message */
  pinMessage(key: MessageKey, pin: boolean, options: { id: string; seconds: PinDuration }): Promise<SentMessage>;
}

/** What is known of a chat's state; absent fields are unchanged. */
export interface ChatState {
  chat: string;
  name?: string | null;
  archived?: boolean;
  /** unix seconds it was pinned at; null = unpinned */
  pinnedAt?: number | null;
  /** epoch ms the mute ends (-1 = for ever); null = not muted */
  mutedUntil?: number | null;
  /** the unread count (history); after a read/unread mark, 0 */
  unreadCount?: number;
  /** marked unread by hand (true) or read (false) */
  markedUnread?: boolean;
  /** unix seconds of the newest message */
  lastMessageAt?: number;
}

/** Chat state changes: `app_state` from the phone or another device, `history` from a history sync. */
export interface ChatUpdate {
  source: 'app_state' | 'history' | 'server';
  chats: ChatState[];
}

export interface ContactInfo {
  jid: string;
  pn: string | null;
  lid: string | null;
  /** address-book name; undefined = not said */
  name?: string | null;
  /** push name */
  notify?: string | null;
  verifiedName?: string | null;
}

/** One chunk of a history sync: chats, contacts, messages (oldest chunks may come after newer ones) and PN↔LID pairs. */
export interface HistorySync {
  syncType: string;
  /** 0-100 when WhatsApp says */
  progress: number | null;
  chats: ChatState[];
  contacts: ContactInfo[];
  messages: EngineMessage[];
  mappings: { pn: string; lid: string }[];
}

export interface ChatEventMap {
  chat_update: ChatUpdate;
  chat_delete: { chats: string[] };
  /** Names and identities learnt; not the push name of a `message` event's sender, which that event carries. */
  contacts_update: { contacts: ContactInfo[] };
  identity_mapping: { mappings: { pn: string; lid: string }[] };
  history_sync: HistorySync;
}
