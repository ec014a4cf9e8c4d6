// WARest's Chats results (its routes/chats.js and messages.actions.js chat-level actions): the chat list and a
// chat's messages with `pagination`, the pin/read answers, and `status: "chat … success"` for archive, mute and
// clear. Waygate adds the chat's stored state (archived, pinned, muted, marked unread) where WARest has none.
import type { ChatActionOutcome, ChatListItem, ChatListOutcome, ChatMessagesOutcome, MessagePinOutcome } from '../../../core/chats/chats.js';
import type { ChatSummary } from '../../../core/chats/chat-summary.js';
import type { ContactListOutcome } from '../../../core/chats/contact-list.js';
import type { LastMessageRow } from '../../../store/repos/chats.js';
import type { MessageRow } from '../../../store/repos/messages.js';
import { succeeded, type Outcome } from './outcome.js';

const digitsOf = (jid: string) => jid.split(/[:@]/)[0] ?? jid;
const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker']);
const seconds = (ms: number | null) => (ms === null ? 0 : Math.floor(ms / 1000));

function mediaMetadata(row: MessageRow): Record<string, unknown> | null {
  if (!row.raw) return null;
  try {
    const message = (JSON.parse(row.raw) as { message?: Record<string, any> }).message ?? {};
    const node = message[`${row.type}Message`] ?? message.documentWithCaptionMessage?.message?.documentMessage ?? null;
    if (!node) return null;
    return { url: node.url ?? null, mimeType: node.mimetype ?? null, fileName: node.fileName ?? null, fileSize: Number(node.fileLength ?? 0) || null };
  } catch {
    return null;
  }
}

function lastMessageView(row: LastMessageRow | null) {
  if (!row) return null;
  return { id: row.id, fromMe: row.from_me === 1, type: row.type, text: row.text, timestamp: row.timestamp, status: row.status };
}

function chatState(chat: ChatSummary) {
  return {
    archived: chat.archived,
    pinned: chat.pinnedAt !== null,
    pinnedAt: chat.pinnedAt,
    muted: chat.mutedUntil !== null,
    mutedUntil: chat.mutedUntil,
    markedUnread: chat.markedUnread
  };
}

function chatItem(chat: ChatListItem) {
  const name = chat.name ?? digitsOf(chat.jid);
  return {
    id: chat.jid,
    jid: chat.jid,
    displayName: name,
    name,
    isGroup: chat.kind === 'group',
    unreadCount: chat.unreadCount,
    lastMessage: lastMessageView(chat.lastMessage),
    lastMessageTimestamp: chat.lastMessageAt,
    ephemeralExpiry: 0,
    createdAt: seconds(chat.createdAt),
    updatedAt: seconds(chat.updatedAt),
    ...chatState(chat)
  };
}

export function chatListView(outcome: ChatListOutcome): Outcome {
  return succeeded('Chats list fetched', {
    sessionId: outcome.sessionId,
    phone: outcome.phone,
    data: outcome.chats.map(chatItem),
    pagination: { limit: outcome.limit, offset: outcome.offset, total: outcome.total }
  });
}

export function messageItem(row: MessageRow, reactions: { from: string; emoji: string; timestamp: number }[] = []) {
  const isMedia = MEDIA.has(row.type);
  return {
    id: row.id,
    toJid: row.chat_jid,
    senderJid: row.sender_jid ?? row.chat_jid,
    fromMe: row.from_me === 1,
    messageType: row.type,
    body: row.text ?? '',
    timestamp: row.timestamp,
    isMedia,
    mediaType: isMedia ? row.type : null,
    mediaMetadata: isMedia ? mediaMetadata(row) : null,
    mediaId: row.media_id,
    messageTypeDetails: {},
    quotedMessageId: row.quoted_id,
    mentionedJids: row.mentions ? (JSON.parse(row.mentions) as string[]) : [],
    reactions,
    isEdited: row.edited_at !== null,
    isDeleted: row.revoked_at !== null,
    deletedAt: row.revoked_at === null ? null : seconds(row.revoked_at),
    poll: null,
    status: row.status,
    starred: row.starred === 1,
    pushName: row.push_name,
    createdAt: row.timestamp,
    updatedAt: seconds(row.edited_at ?? row.status_at ?? row.created_at)
  };
}

export function chatMessagesView(outcome: ChatMessagesOutcome): Outcome {
  const chat = outcome.chat;
  return succeeded('Messages list fetched', {
    sessionId: outcome.sessionId,
    phone: outcome.phone,
    data: outcome.messages.map((row) => messageItem(row, outcome.reactions.get(row.id))),
    pagination: { limit: outcome.limit, offset: outcome.offset, total: outcome.total },
    chatInfo: {
      jid: chat.jid,
      name: chat.name,
      lastMessage: chat.lastMessageId,
      isGroup: chat.kind === 'group',
      unreadCount: chat.unreadCount,
      lastMessageTimestamp: chat.lastMessageAt,
      ephemeralExpiry: 0,
      createdAt: seconds(chat.createdAt),
      updatedAt: seconds(chat.updatedAt),
      ...chatState(chat)
    }
  });
}

export function chatPinView(outcome: ChatActionOutcome): Outcome {
  const pinned = outcome.action === 'pin';
  return succeeded(pinned ? 'Chat pinned' : 'Chat unpinned', {
    sessionId: outcome.sessionId,
    phone: outcome.phone,
    chatId: outcome.chat,
    pinned,
    message: pinned ? 'Chat pinned successfully' : 'Chat unpinned successfully',
    updatedAt: Math.floor(Date.now() / 1000),
    chat: chatState(outcome.state)
  });
}

export function messagePinView(outcome: MessagePinOutcome): Outcome {
  return succeeded(outcome.pinned ? 'Message pinned' : 'Message unpinned', {
    sessionId: outcome.sessionId,
    phone: outcome.phone,
    chatId: outcome.chat,
    messageId: outcome.messageId,
    pinned: outcome.pinned,
    message: outcome.pinned ? 'Message pinned successfully' : 'Message unpinned successfully',
    duration: outcome.seconds,
    pinMessageId: outcome.pinMessageId,
    updatedAt: outcome.timestamp
  });
}

export function chatReadView(outcome: ChatActionOutcome, requested: number): Outcome {
  const marked = outcome.marked ?? [];
  return succeeded(requested > 0 ? `Marked last ${marked.length} inbound message(s) as read` : `Marked ${marked.length} unread message(s) as read`, {
    sessionId: outcome.sessionId,
    phone: outcome.phone,
    chatId: outcome.chat,
    totalMarked: marked.length,
    mode: requested > 0 ? 'by_messages' : 'unread',
    parameters: { messages: requested },
    marked: marked.map((row) => ({ id: row.id, fromMe: false, timestamp: row.timestamp }))
  });
}

const ACTION_WORDS: Partial<Record<ChatActionOutcome['action'], [status: string, message: string]>> = {
  archive: ['chat archived success', 'Chat archived'],
  unarchive: ['chat unarchived success', 'Chat unarchived'],
  mute: ['chat muted success', 'Chat muted'],
  unmute: ['chat unmuted success', 'Chat unmuted'],
  clear: ['chat cleared success', 'Chat cleared']
};

/** archive, unarchive, mute, unmute, clear-all: WARest's message-action shape. */
export function chatActionView(outcome: ChatActionOutcome): Outcome {
  const [status, message] = ACTION_WORDS[outcome.action] ?? [`chat ${outcome.action} success`, 'Chat updated'];
  return succeeded(message, {
    sessionId: outcome.sessionId,
    phone: outcome.phone,
    to: digitsOf(outcome.chat),
    toJid: outcome.chat,
    status,
    ...(outcome.action === 'mute' ? { mutedUntil: outcome.mutedUntil ?? null } : {}),
    ...(outcome.action === 'clear' ? { deletedMessages: outcome.deleted ?? 0 } : {}),
    chat: chatState(outcome.state)
  });
}

export function contactListView(outcome: ContactListOutcome): Outcome {
  return succeeded('Contacts list', {
    sessionId: outcome.sessionId,
    phone: outcome.phone,
    type: outcome.type,
    data: outcome.contacts,
    pagination: { limit: outcome.limit, offset: outcome.offset, total: outcome.total }
  });
}
