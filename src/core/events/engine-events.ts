// What an engine session reports, as canonical events for the outbox: messages received and their delivery
// status, and presence. Group events have their own reducer (core/groups/group-events.ts).
// Payloads carry our normalised fields plus the WARest field names its webhook consumers read. Message events are
// keyed by what WhatsApp identifies them by, so a redelivery after a crash is one event with one id.
import type { EventReducer } from './event-reducer.js';

const REACTION = 'reaction';

export const engineEventReducer: EventReducer = {
  async message(message, { sessionId, emit }) {
    if (message.fromMe) return;
    const key = { id: message.id, remoteJid: message.chat, fromMe: message.fromMe, participant: message.chat.endsWith('@g.us') ? message.sender.jid : undefined };
    const payload = {
      id: sessionId,
      key,
      messageId: message.id,
      chat: message.chat,
      sender: message.sender,
      timestamp: message.timestamp,
      type: message.type,
      tags: message.type,
      contentType: message.type,
      text: message.text,
      pushName: message.pushName,
      quotedId: message.quotedId,
      message: message.raw
    };
    await emit(message.type === REACTION ? 'message.reaction' : 'message.received', payload, `${message.chat}/${message.id}`);
  },
  message_status: ({ id: messageId, ...update }, { sessionId, emit }) =>
    emit('message.ack', { id: sessionId, messageId, ...update }, `${update.chat}/${messageId}/${update.status}/${update.participant?.jid ?? ''}`),
  presence: (presence, { sessionId, emit }) => emit('presence.update', { id: sessionId, presence })
};
