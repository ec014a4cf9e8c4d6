// What an engine session reports, as canonical events for the outbox: messages received and their delivery
// status, and presence. Group events have their own translator (core/groups/group-events.ts).
// Payloads carry our normalised fields plus the WARest field names its webhook consumers read.
import type { EventTranslator } from '../sessions/session-runtime.js';

const REACTION = 'reaction';

export const engineEventTranslator: EventTranslator = (runtime, emit) => {
  const { events } = runtime.engine;
  const offs = [
    events.on('message', (message) => {
      if (message.fromMe) return;
      const key = { id: message.id, remoteJid: message.chat, fromMe: message.fromMe, participant: message.chat.endsWith('@g.us') ? message.sender.jid : undefined };
      const payload = {
        id: runtime.id,
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
      emit(message.type === REACTION ? 'message.reaction' : 'message.received', payload);
    }),
    events.on('message_status', ({ id: messageId, ...update }) => emit('message.ack', { id: runtime.id, messageId, ...update })),
    events.on('presence', (presence) => emit('presence.update', { id: runtime.id, presence }))
  ];
  return () => offs.forEach((off) => off());
};
