// What the message store keeps of a message under the configured retention: everything (`full`), only its
// key, chat, type and status (`keys`), or nothing (`none`).
import type { EngineMessage } from '../../engine/types.js';
import type { EngineOptions } from '../../engine/options.js';
import type { NewMessageRow, StoredMessageStatus } from '../../store/tables/messages.js';
import type { StoredSend } from './stored-send.js';

export type MessageRetention = 'full' | 'keys' | 'none';

export interface MessageRecord {
  id: string;
  chat: string;
  fromMe: boolean;
  sender?: { jid: string; pn: string | null; lid: string | null } | null;
  pushName?: string | null;
  type: string;
  text: string | null;
  quotedId: string | null;
  mentions: string[];
  mediaId: string | null;
  /** unix seconds */
  timestamp: number;
  status: StoredMessageStatus;
  raw: unknown;
}

/**
 * One of our sends as the store records it: `pending` from its acceptance (so a receipt that beats the send's
 * own bookkeeping finds it, and it can be read back while queued), then `sent` with WhatsApp's timestamp and
 * the message as sent.
 */
export function sendRecord(
  send: StoredSend,
  message: { id: string; chat: string; kind: string },
  state: { status: 'pending' | 'sent'; timestamp: number; raw: unknown }
): MessageRecord {
  return {
    id: message.id,
    chat: message.chat,
    fromMe: true,
    type: message.kind,
    text: sendText(send),
    quotedId: send.quoted?.key.id ?? null,
    mentions: send.mentions ?? [],
    mediaId: 'media' in send.content ? send.content.media.mediaId : null,
    ...state
  };
}

function sendText(send: StoredSend): string | null {
  const content = send.content;
  if (content.type === 'text' || content.type === 'buttons' || content.type === 'list') return content.text;
  if (content.type === 'poll') return content.name;
  return 'caption' in content ? (content.caption ?? null) : null;
}

/** A message the engine reported (received, or sent from another of our devices) as the store records it. */
export function engineMessageRecord(message: EngineMessage, mediaId: string | null): MessageRecord {
  return {
    id: message.id,
    chat: message.chat,
    fromMe: message.fromMe,
    sender: message.sender,
    pushName: message.pushName,
    type: message.type,
    text: message.text,
    quotedId: message.quotedId,
    mentions: message.mentions,
    mediaId,
    timestamp: message.timestamp,
    status: message.fromMe ? 'sent' : 'received',
    raw: message.raw
  };
}

export function storedMessageRow(retention: MessageRetention, sessionId: string, record: MessageRecord, now = Date.now()): NewMessageRow | null {
  if (retention === 'none') return null;
  const full = retention === 'full';
  return {
    session_id: sessionId,
    chat_jid: record.chat,
    id: record.id,
    from_me: record.fromMe ? 1 : 0,
    sender_jid: record.sender?.jid ?? null,
    sender_pn: record.sender?.pn ?? null,
    sender_lid: record.sender?.lid ?? null,
    push_name: full ? (record.pushName ?? null) : null,
    type: record.type,
    text: full ? record.text : null,
    quoted_id: record.quotedId,
    mentions: full && record.mentions.length ? JSON.stringify(record.mentions) : null,
    media_id: full ? record.mediaId : null,
    timestamp: record.timestamp,
    status: record.status,
    status_at: now,
    edited_at: null,
    revoked_at: null,
    starred: 0,
    raw: full && record.raw !== undefined && record.raw !== null ? JSON.stringify(record.raw) : null,
    created_at: now
  };
}

/**
 * What the engine need keep in memory of recent messages, given what the store keeps. With `full`, every message's
 * content is stored when it is received and when WhatsApp acknowledges a send, so the engine keeps none of its own
 * and the client library only its last 8 sends, for a recipient that cannot decrypt one and asks again before the
 * ack is stored; a later request finds it in the store. Otherwise the engine's defaults: 32 of each.
 */
export function recentMessageBounds(retention: MessageRetention): Partial<Pick<EngineOptions, 'recentMessageLimit' | 'sentRetryCacheLimit'>> {
  return retention === 'full' ? { recentMessageLimit: 0, sentRetryCacheLimit: 8 } : {};
}
