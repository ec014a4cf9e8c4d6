// A chat as core hands it out (to views and in chat.update events): the stored state in plain words.
import type { ChatListRow, ChatRow } from '../../store/repos/chats.js';

export interface ChatSummary {
  jid: string;
  kind: 'user' | 'group';
  name: string | null;
  unreadCount: number;
  markedUnread: boolean;
  archived: boolean;
  /** unix seconds, null when not pinned */
  pinnedAt: number | null;
  /** epoch ms (-1 = for ever), null when not muted */
  mutedUntil: number | null;
  /** unix seconds of the newest message, 0 when none */
  lastMessageAt: number;
  lastMessageId: string | null;
  /** epoch ms */
  clearedAt: number | null;
  hasMedia: boolean;
  createdAt: number;
  updatedAt: number;
}

/** Whether a mute (epoch ms, -1 = for ever) is in force at `now`. */
export const isMuted = (mutedUntil: number | null, now = Date.now()) => mutedUntil === -1 || (mutedUntil !== null && mutedUntil > now);

export function chatSummary(row: ChatRow | ChatListRow): ChatSummary {
  return {
    jid: row.jid,
    kind: row.kind,
    name: ('display_name' in row ? row.display_name : null) ?? row.name,
    unreadCount: row.unread_count,
    markedUnread: row.marked_unread === 1,
    archived: row.archived === 1,
    pinnedAt: row.pinned_at,
    mutedUntil: isMuted(row.muted_until) ? row.muted_until : null,
    lastMessageAt: row.last_message_at,
    lastMessageId: row.last_message_id,
    clearedAt: row.cleared_at,
    hasMedia: row.has_media === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  };
}
