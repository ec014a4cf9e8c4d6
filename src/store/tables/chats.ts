// Row types of `chats` and `contacts`: what a session knows about its conversations (last message, unread
// count, archive, pin, mute, clear, marked unread) and about the people it talks to (PN, LID, the names they
// go by). Kept up to date incrementally from live messages, WhatsApp's app state and history syncs.
import type { Insertable, Selectable } from 'kysely';

export type ChatKind = 'user' | 'group';

export interface ChatsTable {
  session_id: string;
  jid: string;
  kind: ChatKind;
  /** the group subject, or the name WhatsApp's history gave the chat; the contact's name is joined when null */
  name: string | null;
  last_message_id: string | null;
  /** WhatsApp's unix seconds of the newest message; 0 when none is known */
  last_message_at: number;
  unread_count: number;
  archived: 0 | 1;
  /** epoch seconds it was pinned at; null = not pinned */
  pinned_at: number | null;
  /** epoch ms the mute ends; -1 = for ever; null = not muted */
  muted_until: number | null;
  /** epoch ms the chat was cleared at; messages stored before stay hidden from the chat's message list */
  cleared_at: number | null;
  /** marked as unread by hand (WhatsApp's markChatAsRead read=false) */
  marked_unread: 0 | 1;
  /** a media message (image, video, audio, document, sticker) was stored for the chat since it was last cleared */
  has_media: 0 | 1;
  created_at: number;
  updated_at: number;
}

export interface ContactsTable {
  session_id: string;
  /** the PN JID when known, else the LID */
  jid: string;
  pn: string | null;
  lid: string | null;
  /** the name in the phone's address book */
  name: string | null;
  /** the push name the person chose */
  notify: string | null;
  verified_name: string | null;
  updated_at: number;
}

export type ChatRow = Selectable<ChatsTable>;
export type NewChatRow = Insertable<ChatsTable>;
export type ContactRow = Selectable<ContactsTable>;
