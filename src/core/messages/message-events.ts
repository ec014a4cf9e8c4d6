// What the engine reports about messages, reduced into the message store and the outbox in one transaction per
// event: received messages (WARest's message_received payload plus ids, chat, both PN and LID, media links),
// edits, revocations, reactions, poll votes, delivery status, presence and calls. Message events are keyed by what
// WhatsApp identifies them by, so a redelivery after a crash is one event with one id.
import type { Transaction } from 'kysely';
import type { EngineMessage, InboundMedia } from '../../engine/types.js';
import type { Database } from '../../store/database.js';
import { advanceMessageStatus, insertMessage, saveReaction, updateMessage } from '../../store/repos/messages.js';
import { noteChatMessage } from '../chats/chat-events.js';
import type { EventReducer } from '../events/event-reducer.js';
import { engineMessageRecord, storedMessageRow, type MessageRetention } from './message-rows.js';

/** Where received media is recorded (by content address) and how webhook payloads link to it. */
export interface InboundMediaLinks {
  record(trx: Transaction<Database>, source: { sessionId: string; chat: string; messageId: string; media: InboundMedia }): Promise<string | null>;
  /** inside the reducer's transaction */
  payload(media: InboundMedia, id: string, trx: Transaction<Database>): Promise<object>;
}

export interface MessageEventsOptions {
  retention: MessageRetention;
  media?: InboundMediaLinks;
}

/** WARest's `tags` of message_received (api-compat §6.1.3). */
function warestTag(message: EngineMessage): string {
  switch (message.type) {
    case 'text':
      return (message.raw as { message?: { extendedTextMessage?: unknown } } | null)?.message?.extendedTextMessage ? 'extended_text' : 'text';
    case 'image':
    case 'video':
      return 'media';
    case 'document':
      return 'file';
    case 'audio':
    case 'sticker':
    case 'location':
      return message.type;
    case 'poll':
    case 'contact':
      return 'interactive';
    default:
      return 'system';
  }
}

export function messageEventReducer({ retention, media }: MessageEventsOptions): EventReducer {
  const keyOf = (sessionId: string, chat: string, id: string) => ({ sessionId, chat, id });
  return {
    async message(message, { sessionId, trx, emit }) {
      const mediaId = message.media && media ? await media.record(trx, { sessionId, chat: message.chat, messageId: message.id, media: message.media }) : null;
      const row = storedMessageRow(retention, sessionId, engineMessageRecord(message, mediaId));
      // A redelivery is counted into its chat once (without a stored row, retention none, every time).
      if (!row || (await insertMessage(trx, row))) await noteChatMessage(trx, sessionId, message);
      if (message.fromMe) return;
      const group = message.chat.endsWith('@g.us');
      const payload = {
        id: sessionId,
        tags: warestTag(message),
        key: { id: message.id, remoteJid: message.chat, fromMe: false, ...(group ? { participant: message.sender.jid } : {}) },
        messageId: message.id,
        chatId: message.chat,
        chat: message.chat,
        fromMe: false,
        timestamp: message.timestamp,
        sender: { ...message.sender, pushName: message.pushName },
        pushName: message.pushName,
        type: message.type,
        contentType: message.type,
        text: message.text,
        mentions: message.mentions,
        forwarded: message.forwarded,
        quoted: message.quotedId ? { id: message.quotedId } : null,
        quotedId: message.quotedId,
        media: message.media && mediaId && media ? await media.payload(message.media, mediaId, trx) : message.media,
        message: message.raw
      };
      await emit('message.received', payload, `${message.chat}/${message.id}`);
    },

    async message_edit(edit, { sessionId, trx, emit }) {
      await updateMessage(trx, keyOf(sessionId, edit.chat, edit.id), { text: retention === 'full' ? edit.text : null, edited_at: edit.timestamp * 1000 });
      const key = { id: edit.id, remoteJid: edit.chat, fromMe: edit.fromMe };
      await emit(
        'message.edited',
        { id: sessionId, key, messageId: edit.id, chat: edit.chat, sender: edit.sender, text: edit.text, editedMessage: { text: edit.text }, timestamp: edit.timestamp, update: edit.raw },
        `${edit.chat}/${edit.id}/edit/${edit.timestamp}`
      );
    },

    async message_revoke(revoke, { sessionId, trx, emit }) {
      await updateMessage(trx, keyOf(sessionId, revoke.chat, revoke.id), { revoked_at: revoke.timestamp * 1000 });
      const key = { id: revoke.id, remoteJid: revoke.chat, fromMe: revoke.fromMe };
      await emit('message.revoked', { id: sessionId, key, messageId: revoke.id, chat: revoke.chat, sender: revoke.sender, timestamp: revoke.timestamp }, `${revoke.chat}/${revoke.id}/revoke`);
    },

    async message_reaction(reaction, { sessionId, trx, emit }) {
      await saveReaction(trx, sessionId, { chat: reaction.chat, messageId: reaction.target.id, reactor: reaction.sender.jid, emoji: reaction.emoji, timestamp: reaction.timestamp });
      const key = { id: reaction.target.id, remoteJid: reaction.chat, fromMe: reaction.target.fromMe, ...(reaction.target.participant ? { participant: reaction.target.participant } : {}) };
      await emit(
        'message.reaction',
        {
          id: sessionId,
          key,
          messageId: reaction.target.id,
          chat: reaction.chat,
          reaction: { text: reaction.emoji, key, removed: reaction.emoji === '' },
          emoji: reaction.emoji,
          sender: reaction.sender,
          fromMe: reaction.fromMe,
          timestamp: reaction.timestamp
        },
        `${reaction.chat}/${reaction.id}`
      );
    },

    async poll_vote(vote, { sessionId, emit }) {
      await emit('poll.vote', { id: sessionId, pollId: vote.pollId, chat: vote.chat, voter: vote.voter, options: vote.options, timestamp: vote.timestamp }, `${vote.chat}/${vote.pollId}/${vote.voter.jid}/${vote.timestamp}/${vote.options.join('\u0000')}`);
    },

    async message_status({ id: messageId, ...update }, { sessionId, trx, emit }) {
      if (update.status === 'sent' || update.status === 'delivered' || update.status === 'read' || update.status === 'played') {
        // In groups the message's status follows the first member to reach each step.
        await advanceMessageStatus(trx, keyOf(sessionId, update.chat, messageId), update.status, (update.timestamp ?? Math.floor(Date.now() / 1000)) * 1000);
      }
      await emit('message.status', { id: sessionId, messageId, ...update }, `${update.chat}/${messageId}/${update.status}/${update.participant?.jid ?? ''}`);
    },

    presence: (presence, { sessionId, emit }) => emit('presence.update', { id: sessionId, presence }),

    call: (call, { sessionId, emit }) => emit('call', { id: sessionId, calls: [call], call }, `call/${call.id}/${call.status}`)
  };
}
