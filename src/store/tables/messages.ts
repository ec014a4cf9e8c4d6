// Row types of `messages` and `message_reactions`: what this session sent and received, with its delivery
// status, edits, revocation and the reactions it got. `raw` is WhatsApp's protobuf JSON, null when retention
// keeps keys and status only.
import type { Insertable, Selectable, Updateable } from 'kysely';

export const MESSAGE_STATUSES = ['received', 'pending', 'sent', 'delivered', 'read', 'played', 'failed'] as const;
export type StoredMessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface MessagesTable {
  session_id: string;
  chat_jid: string;
  id: string;
  from_me: 0 | 1;
  sender_jid: string | null;
  sender_pn: string | null;
  sender_lid: string | null;
  push_name: string | null;
  type: string;
  text: string | null;
  quoted_id: string | null;
  /** JSON array of user JIDs */
  mentions: string | null;
  /** content address (hex SHA-256) of the attached file, see `media` */
  media_id: string | null;
  /** WhatsApp's unix seconds */
  timestamp: number;
  status: StoredMessageStatus;
  status_at: number | null;
  edited_at: number | null;
  revoked_at: number | null;
  starred: 0 | 1;
  raw: string | null;
  created_at: number;
}

export interface MessageReactionsTable {
  session_id: string;
  chat_jid: string;
  message_id: string;
  reactor_jid: string;
  emoji: string;
  timestamp: number;
}

export type MessageRow = Selectable<MessagesTable>;
export type NewMessageRow = Insertable<MessagesTable>;
export type MessageRowUpdate = Updateable<MessagesTable>;
